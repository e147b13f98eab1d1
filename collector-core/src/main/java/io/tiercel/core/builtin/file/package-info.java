/** The file exporter: OTLP/JSON lines or length-prefixed protobuf in a file. */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.builtin.file;
