package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters -> our otlp receiver -> the file exporter, in a
 * service built from YAML: the file holds exactly what the SDK sent (ids, names, attributes,
 * values, counts).
 */
@Tag("integration")
class SdkToFileIT {
  @TempDir Path dir;

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String attr(List<KeyValue> attrs, String key) {
    return attrs.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse(null);
  }

  @Test
  void theFileHoldsExactlyWhatTheSdkSent() throws Exception {
    int grpc = freePort();
    int http = freePort();
    Path out = dir.resolve("out.jsonl");
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
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [file]}
            metrics: {receivers: [otlp], exporters: [file]}
            logs: {receivers: [otlp], exporters: [file]}
        """
            .formatted(grpc, http, out));
    var cfg =
        new ConfigLoader(ComponentRegistry.load(), System::getenv)
            .load(List.of(config.toString()), List.of());
    Service service = new Service(cfg, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    service.start();
    List<SpanData> spans = SdkData.spans();
    try {
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpc).build()) {
        assertThat(e.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      try (OtlpHttpMetricExporter e =
          OtlpHttpMetricExporter.builder()
              .setEndpoint("http://127.0.0.1:" + http + "/v1/metrics")
              .build()) {
        assertThat(e.export(SdkData.metrics()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      try (OtlpHttpLogRecordExporter e =
          OtlpHttpLogRecordExporter.builder()
              .setEndpoint("http://127.0.0.1:" + http + "/v1/logs")
              .build()) {
        assertThat(e.export(SdkData.logs()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
    } finally {
      service.shutdown(Duration.ofSeconds(10));
    }

    List<Span> fileSpans = new ArrayList<>();
    List<String> resources = new ArrayList<>();
    TreeMap<String, Long> points = new TreeMap<>();
    List<String> logs = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      if (line.contains("\"resourceSpans\"")) {
        TracesData t = OtlpJson.decodeTraces(b);
        t.getResourceSpansList()
            .forEach(
                rs -> {
                  resources.add(attr(rs.getResource().getAttributesList(), "service.name"));
                  rs.getScopeSpansList().forEach(ss -> fileSpans.addAll(ss.getSpansList()));
                });
      } else if (line.contains("\"resourceMetrics\"")) {
        MetricsData m = OtlpJson.decodeMetrics(b);
        m.getResourceMetricsList()
            .forEach(
                rm ->
                    rm.getScopeMetricsList()
                        .forEach(
                            sm ->
                                sm.getMetricsList()
                                    .forEach(
                                        metric ->
                                            metric
                                                .getSum()
                                                .getDataPointsList()
                                                .forEach(
                                                    p ->
                                                        points.put(
                                                            metric.getName()
                                                                + attr(
                                                                    p.getAttributesList(), "route"),
                                                            p.getAsInt())))));
      } else if (line.contains("\"resourceLogs\"")) {
        LogsData l = OtlpJson.decodeLogs(b);
        l.getResourceLogsList()
            .forEach(
                rl ->
                    rl.getScopeLogsList()
                        .forEach(
                            sl ->
                                sl.getLogRecordsList()
                                    .forEach(
                                        r ->
                                            logs.add(
                                                r.getSeverityNumber()
                                                    + " "
                                                    + r.getBody().getStringValue()
                                                    + " k="
                                                    + attr(r.getAttributesList(), "k")))));
      }
    }
    assertThat(fileSpans).hasSize(spans.size());
    for (SpanData sent : spans) {
      Span got =
          fileSpans.stream()
              .filter(s -> s.getName().equals(sent.getName()))
              .findFirst()
              .orElseThrow();
      assertThat(HexFormat.of().formatHex(got.getTraceId().toByteArray()))
          .isEqualTo(sent.getTraceId());
      assertThat(HexFormat.of().formatHex(got.getSpanId().toByteArray()))
          .isEqualTo(sent.getSpanId());
      assertThat(got.getStartTimeUnixNano()).isEqualTo(sent.getStartEpochNanos());
      assertThat(got.getEndTimeUnixNano()).isEqualTo(sent.getEndEpochNanos());
      if (sent.getName().equals("parent")) {
        assertThat(attr(got.getAttributesList(), "http.method")).isEqualTo("GET");
      } else {
        assertThat(HexFormat.of().formatHex(got.getParentSpanId().toByteArray()))
            .isEqualTo(sent.getParentSpanId());
      }
    }
    assertThat(resources).containsOnly("it-service");
    assertThat(points)
        .containsExactly(
            java.util.Map.entry("requests/a", 3L), java.util.Map.entry("requests/b", 4L));
    assertThat(logs).containsExactly("SEVERITY_NUMBER_WARN hello k=v");
  }
}
