/** The {@code otlp} receiver: OTLP over gRPC and HTTP (protobuf and JSON). */
@org.jspecify.annotations.NullMarked
package io.tiercel.otlp.receiver;
