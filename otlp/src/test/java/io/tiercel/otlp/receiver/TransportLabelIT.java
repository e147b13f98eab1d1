package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK's exporters send over OTLP/gRPC and OTLP/HTTP to one otlp receiver;
 * the metrics endpoint counts each request under the transport it came by, as the collector's
 * {@code otelcol_receiver_accepted_*{transport}} does.
 */
@Tag("integration")
class TransportLabelIT {
  @TempDir Path dir;

  @Test
  void eachRequestIsCountedUnderTheTransportItCameBy() throws Exception {
    int grpc = SdkToFileIT.freePort();
    int http = SdkToFileIT.freePort();
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:%d}
              http: {endpoint: 127.0.0.1:%d}
        exporters:
          file: {path: %s}
        service:
          telemetry: {metrics: {address: "127.0.0.1:0"}}
          pipelines:
            traces: {receivers: [otlp], exporters: [file]}
            logs: {receivers: [otlp], exporters: [file]}
        """
            .formatted(grpc, http, dir.resolve("out.jsonl")));
    var cfg =
        new ConfigLoader(ComponentRegistry.load(), System::getenv)
            .load(List.of(config.toString()), List.of());
    Service service = new Service(cfg, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    service.start();
    List<SpanData> spans = SdkData.spans();
    String body;
    try {
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpc).build()) {
        for (int i = 0; i < 3; i++) { // three requests over gRPC
          assertThat(e.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
      }
      try (OtlpHttpSpanExporter e =
          OtlpHttpSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + http + "/v1/traces")
              .build()) {
        assertThat(e.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      try (OtlpHttpLogRecordExporter e =
          OtlpHttpLogRecordExporter.builder()
              .setEndpoint("http://127.0.0.1:" + http + "/v1/logs")
              .build()) {
        for (int i = 0; i < 2; i++) {
          assertThat(e.export(SdkData.logs()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
      }
      try (OtlpGrpcLogRecordExporter e =
          OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + grpc).build()) {
        assertThat(e.export(SdkData.logs()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      HttpClient client = HttpClient.newHttpClient();
      body =
          client
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + service.metricsPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } finally {
      service.shutdown(Duration.ofSeconds(10));
    }
    int n = spans.size();
    assertThat(n).isPositive();
    assertThat(value(body, "otelcol_receiver_accepted_spans_total", "grpc")).isEqualTo(3.0 * n);
    assertThat(value(body, "otelcol_receiver_accepted_spans_total", "http")).isEqualTo(1.0 * n);
    assertThat(value(body, "otelcol_receiver_accepted_log_records_total", "http")).isEqualTo(2.0);
    assertThat(value(body, "otelcol_receiver_accepted_log_records_total", "grpc")).isEqualTo(1.0);
    assertThat(value(body, "otelcol_receiver_refused_spans_total", "grpc")).isZero();
    assertThat(value(body, "otelcol_receiver_refused_spans_total", "http")).isZero();
  }

  private static double value(String body, String name, String transport) {
    Matcher m =
        Pattern.compile(
                "(?m)^"
                    + Pattern.quote(name)
                    + "\\{receiver=\"otlp\",transport=\""
                    + transport
                    + "\"} ([0-9.E]+)$")
            .matcher(body);
    assertThat(m.find()).as(name + "{transport=" + transport + "} in\n" + body).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
