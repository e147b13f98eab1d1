/**
 * The OTLP exporters: {@code otlp_grpc} (gRPC unary calls, alias {@code otlp}) and {@code
 * otlp_http} (HTTP {@code POST}s of protobuf or JSON, alias {@code otlphttp}), one {@link
 * io.tiercel.otlp.exporter.OtlpExporterFactory} with a transport per protocol behind the shared
 * queue/retry/timeout helper; partial successes are logged and counted as the collector does.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.otlp.exporter;
