/** The file exporter: OTLP/JSON lines or length-prefixed protobuf in a file. */
package io.tiercel.core.builtin.file;
