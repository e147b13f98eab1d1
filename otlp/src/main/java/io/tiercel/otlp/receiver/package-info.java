/** The {@code otlp} receiver: OTLP over gRPC and HTTP (protobuf and JSON). */
package io.tiercel.otlp.receiver;
