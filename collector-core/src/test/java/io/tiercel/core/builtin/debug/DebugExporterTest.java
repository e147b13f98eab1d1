package io.tiercel.core.builtin.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.builtin.debug.DebugExporterConfig.Verbosity;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.json.OtlpJson;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DebugExporterTest {
  private static final Resource RESOURCE =
      Resource.newBuilder()
          .addAttributes(
              KeyValue.newBuilder()
                  .setKey("service.name")
                  .setValue(AnyValue.newBuilder().setStringValue("cart")))
          .build();

  private static ByteString bytes(int n, int fill) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) fill);
    return ByteString.copyFrom(b);
  }

  static Traces twoSpans() {
    Span a =
        Span.newBuilder()
            .setTraceId(bytes(16, 0xab))
            .setSpanId(bytes(8, 0x01))
            .setName("GET /api/cart")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(1_000_000)
            .setEndTimeUnixNano(13_500_000)
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("http.response.status_code")
                    .setValue(AnyValue.newBuilder().setIntValue(200)))
            .build();
    Span b =
        Span.newBuilder()
            .setTraceId(bytes(16, 0xab))
            .setSpanId(bytes(8, 0x02))
            .setName("SELECT\norders")
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .build();
    return Traces.of(
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(RESOURCE)
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(a).addSpans(b)))
            .build());
  }

  private static Exporter<Traces> traces(CapturingLogger log, DebugExporterConfig config) {
    Settings s = Settings.forTest(Kind.EXPORTER, ComponentId.of("debug"), Signal.TRACES);
    Settings settings =
        new Settings(
            s.id(),
            s.kind(),
            s.signal(),
            log.logger,
            s.metrics(),
            s.clock(),
            s.build(),
            s.shared());
    return new DebugExporterFactory().createTraces(settings, config);
  }

  @Test
  void factoryDescribesTheComponent() {
    DebugExporterFactory f = new DebugExporterFactory();
    assertThat(f.type()).isEqualTo("debug");
    assertThat(f.kind()).isEqualTo(Kind.EXPORTER);
    assertThat(f.configClass()).isEqualTo(DebugExporterConfig.class);
    assertThat(f.createDefaultConfig()).isEqualTo(new DebugExporterConfig(Verbosity.BASIC, 2, 1));
    assertThat(f.signals())
        .containsOnlyKeys(Signal.TRACES, Signal.METRICS, Signal.LOGS, Signal.PROFILES)
        .allSatisfy((k, v) -> assertThat(v).isEqualTo(Stability.DEVELOPMENT));
  }

  @Test
  void configRejectsBadValuesNamingTheKey() {
    assertThatThrownBy(() -> new DebugExporterConfig(null, 2, 1))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("must be one of basic, normal, detailed")
        .satisfies(e -> assertThat(((InvalidValueException) e).key()).isEqualTo("verbosity"));
    assertThatThrownBy(() -> new DebugExporterConfig(Verbosity.BASIC, -1, 1))
        .satisfies(
            e -> assertThat(((InvalidValueException) e).key()).isEqualTo("sampling_initial"));
    assertThatThrownBy(() -> new DebugExporterConfig(Verbosity.BASIC, 1, -1))
        .satisfies(
            e -> assertThat(((InvalidValueException) e).key()).isEqualTo("sampling_thereafter"));
  }

  @Test
  void basicPrintsOneLineOfCounts() throws Exception {
    CapturingLogger log = new CapturingLogger();
    Exporter<Traces> e = traces(log, DebugExporterConfig.DEFAULT);
    e.start(null);
    assertThat(e.consume(Context.EMPTY, twoSpans())).isCompleted();
    e.shutdown(Deadline.in(Duration.ofSeconds(1)));
    assertThat(log.infos).containsExactly("Traces {resource spans: 1, spans: 2}");
  }

  @Test
  void normalPrintsOneCompactLinePerSpan() {
    CapturingLogger log = new CapturingLogger();
    traces(log, new DebugExporterConfig(Verbosity.NORMAL, 2, 1))
        .consume(Context.EMPTY, twoSpans())
        .join();
    assertThat(log.infos)
        .containsExactly(
            "Traces {resource spans: 1, spans: 2}\n"
                + "cart abababababababababababababababab 0101010101010101 GET /api/cart kind=SERVER"
                + " status=UNSET duration=12.500ms {http.response.status_code=200}\n"
                + "cart abababababababababababababababab 0202020202020202 SELECT\\n"
                + "orders kind=UNSPECIFIED status=ERROR duration=0.000ms");
  }

  @Test
  void normalPrintsMetricPointsAndLogRecords() {
    CapturingLogger log = new CapturingLogger();
    Settings s = Settings.forTest(Kind.EXPORTER, ComponentId.of("debug"), Signal.METRICS);
    Settings settings =
        new Settings(
            s.id(),
            s.kind(),
            s.signal(),
            log.logger,
            s.metrics(),
            s.clock(),
            s.build(),
            s.shared());
    DebugExporterConfig normal = new DebugExporterConfig(Verbosity.NORMAL, 10, 1);
    Metrics m =
        Metrics.of(
            MetricsData.newBuilder()
                .addResourceMetrics(
                    ResourceMetrics.newBuilder()
                        .setResource(RESOURCE)
                        .addScopeMetrics(
                            ScopeMetrics.newBuilder()
                                .addMetrics(
                                    Metric.newBuilder()
                                        .setName("cpu")
                                        .setGauge(
                                            Gauge.newBuilder()
                                                .addDataPoints(
                                                    NumberDataPoint.newBuilder().setAsDouble(0.5))
                                                .addDataPoints(
                                                    NumberDataPoint.newBuilder().setAsInt(3))))))
                .build());
    new DebugExporterFactory().createMetrics(settings, normal).consume(Context.EMPTY, m).join();
    Logs l =
        Logs.of(
            LogsData.newBuilder()
                .addResourceLogs(
                    ResourceLogs.newBuilder()
                        .setResource(RESOURCE)
                        .addScopeLogs(
                            ScopeLogs.newBuilder()
                                .addLogRecords(
                                    LogRecord.newBuilder()
                                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
                                        .setBody(
                                            AnyValue.newBuilder()
                                                .setStringValue("disk almost full"))
                                        .setSpanId(bytes(8, 0xcd)))))
                .build());
    new DebugExporterFactory().createLogs(settings, normal).consume(Context.EMPTY, l).join();
    assertThat(log.infos)
        .containsExactly(
            "Metrics {resource metrics: 1, metrics: 1, data points: 2}\n"
                + "cart cpu gauge 0.5\n"
                + "cart cpu gauge 3",
            "Logs {resource logs: 1, log records: 1}\n"
                + "cart WARN disk almost full span_id=cdcdcdcdcdcdcdcd");
  }

  @Test
  void detailedPrintsTheRequestAsOtlpJson() {
    CapturingLogger log = new CapturingLogger();
    Traces t = twoSpans();
    traces(log, new DebugExporterConfig(Verbosity.DETAILED, 2, 1)).consume(Context.EMPTY, t).join();
    assertThat(log.infos).hasSize(1);
    String text = log.infos.get(0);
    assertThat(text).startsWith("Traces {resource spans: 1, spans: 2}\n{\n  \"resourceSpans\": [");
    String json = text.substring(text.indexOf('\n') + 1);
    assertThat(OtlpJson.decodeTraces(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(t.message());
  }

  @Test
  void samplingPrintsInitialThenEveryNthPerSecond() {
    AtomicLong now = new AtomicLong();
    Sampler s = new Sampler(2, 3, now::get);
    StringBuilder pattern = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      pattern.append(s.sample() ? 'x' : '.');
    }
    assertThat(pattern).hasToString("xx..x..x.");
    now.addAndGet(1_000_000_000L); // next second: the initial ones pass again
    assertThat(s.sample()).isTrue();
    assertThat(s.sample()).isTrue();
    assertThat(s.sample()).isFalse();
    Sampler none = new Sampler(1, 0, now::get);
    assertThat(none.sample()).isTrue();
    assertThat(none.sample()).isFalse();
    assertThat(none.sample()).isFalse();
  }

  @Test
  void sampledOutRequestsStillComplete() {
    CapturingLogger log = new CapturingLogger();
    Exporter<Traces> e = traces(log, new DebugExporterConfig(Verbosity.BASIC, 1, 0));
    for (int i = 0; i < 5; i++) {
      assertThat(e.consume(Context.EMPTY, twoSpans())).isCompleted();
    }
    assertThat(log.infos).hasSize(1);
  }

  @Test
  void malformedBytesFailPermanently() {
    CapturingLogger log = new CapturingLogger();
    var f =
        traces(log, DebugExporterConfig.DEFAULT)
            .consume(Context.EMPTY, Traces.ofBytes(new byte[] {0x0a, 0x05}));
    assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PermanentException.class);
  }
}
