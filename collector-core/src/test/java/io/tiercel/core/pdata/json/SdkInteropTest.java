package io.tiercel.core.pdata.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An independent check of the codec: the OpenTelemetry Java SDK's own OTLP/JSON (what its {@code
 * http/json} exporters send) must decode to exactly the message its OTLP protobuf encoding parses
 * to; and our JSON of that message must decode back to it.
 */
class SdkInteropTest {
  private static final Resource RESOURCE =
      Resource.getDefault()
          .merge(
              Resource.create(
                  Attributes.of(
                      AttributeKey.stringKey("service.name"),
                      "interop",
                      AttributeKey.longKey("pid"),
                      4242L)));

  private static byte[] json(Marshaler m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeJsonTo(out);
    return out.toByteArray();
  }

  private static byte[] proto(Marshaler m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeBinaryTo(out);
    return out.toByteArray();
  }

  private static final class SpanSink implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private static Attributes everyAttributeType() {
    return Attributes.builder()
        .put("s", "h\u00e9llo \"quoted\"\n")
        .put("b", true)
        .put("l", Long.MIN_VALUE)
        .put("d", -2.5e-7)
        .put(AttributeKey.stringArrayKey("sa"), List.of("x", "y"))
        .put(AttributeKey.booleanArrayKey("ba"), List.of(true, false))
        .put(AttributeKey.longArrayKey("la"), List.of(1L, -2L))
        .put(AttributeKey.doubleArrayKey("da"), List.of(0.5, 3.0))
        .build();
  }

  @Test
  void sdkTracesJsonDecodesToTheSameMessageAsItsProtobuf() throws Exception {
    SpanSink sink = new SpanSink();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .addSpanProcessor(SimpleSpanProcessor.create(sink))
            .build()) {
      Tracer tracer = provider.get("interop.scope", "9.9.9");
      Span other = tracer.spanBuilder("other").startSpan();
      other.end();
      Span root =
          tracer
              .spanBuilder("GET /api")
              .setSpanKind(SpanKind.SERVER)
              .setAllAttributes(everyAttributeType())
              .addLink(other.getSpanContext(), Attributes.of(AttributeKey.stringKey("link"), "yes"))
              .setStartTimestamp(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS)
              .startSpan();
      root.addEvent(
          "exception", Attributes.of(AttributeKey.stringKey("exception.type"), "IOException"));
      Span child =
          tracer
              .spanBuilder("SELECT")
              .setSpanKind(SpanKind.CLIENT)
              .setParent(Context.root().with(root))
              .startSpan();
      child.setStatus(StatusCode.ERROR, "timeout");
      child.end();
      root.setStatus(StatusCode.OK);
      root.end(1_700_000_001_000_000_000L, TimeUnit.NANOSECONDS);
    }
    assertThat(sink.spans).hasSize(3);
    TraceRequestMarshaler m = TraceRequestMarshaler.create(sink.spans);
    TracesData expected = TracesData.parseFrom(proto(m));
    byte[] sdkJson = json(m);
    assertThat(new String(sdkJson, StandardCharsets.UTF_8))
        .contains("\"traceId\":\"" + sink.spans.get(0).getTraceId() + "\"");
    assertThat(OtlpJson.decodeTraces(sdkJson)).isEqualTo(expected);
    assertThat(OtlpJson.decodeTraces(OtlpJson.encode(expected))).isEqualTo(expected);
  }

  private static final class MetricSink implements MetricExporter {
    final List<MetricData> metrics = new CopyOnWriteArrayList<>();

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return type == InstrumentType.HISTOGRAM
          ? AggregationTemporality.DELTA
          : AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> batch) {
      metrics.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void sdkMetricsJsonDecodesToTheSameMessageAsItsProtobuf() throws Exception {
    MetricSink sink = new MetricSink();
    SpanSink spans = new SpanSink();
    try (SdkTracerProvider tracing =
            SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
        SdkMeterProvider provider =
            SdkMeterProvider.builder()
                .setResource(RESOURCE)
                .registerMetricReader(
                    PeriodicMetricReader.builder(sink).setInterval(Duration.ofHours(1)).build())
                .registerView(
                    InstrumentSelector.builder().setName("exp").build(),
                    View.builder()
                        .setAggregation(Aggregation.base2ExponentialBucketHistogram())
                        .build())
                .build()) {
      Meter meter = provider.get("interop.meter");
      Attributes attrs = Attributes.of(AttributeKey.stringKey("route"), "/x");
      meter.counterBuilder("requests").setUnit("{request}").build().add(7, attrs);
      meter.upDownCounterBuilder("active").ofDoubles().build().add(-1.5, attrs);
      meter.gaugeBuilder("temp").build().set(21.25, attrs);
      DoubleHistogram h = meter.histogramBuilder("latency").setUnit("ms").build();
      DoubleHistogram exp = meter.histogramBuilder("exp").build();
      Span span = tracing.get("t").spanBuilder("with exemplars").startSpan();
      Context withSpan = Context.root().with(span);
      for (double v : new double[] {0.001, 3, 250, 7000}) {
        h.record(v, attrs, withSpan); // recorded inside a sampled span: exemplars carry its ids
        exp.record(v, attrs, withSpan);
      }
      exp.record(0, attrs, withSpan);
      span.end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    }
    assertThat(sink.metrics).hasSizeGreaterThanOrEqualTo(5); // the close collects once more
    MetricsRequestMarshaler m = MetricsRequestMarshaler.create(sink.metrics);
    MetricsData expected = MetricsData.parseFrom(proto(m));
    assertThat(
            expected.getResourceMetricsList().stream()
                .flatMap(rm -> rm.getScopeMetricsList().stream())
                .flatMap(sm -> sm.getMetricsList().stream())
                .map(Metric::getDataCase)
                .toList())
        .contains(
            Metric.DataCase.EXPONENTIAL_HISTOGRAM,
            Metric.DataCase.HISTOGRAM,
            Metric.DataCase.SUM,
            Metric.DataCase.GAUGE);
    assertThat(OtlpJson.decodeMetrics(json(m))).isEqualTo(expected);
    assertThat(OtlpJson.decodeMetrics(OtlpJson.encode(expected))).isEqualTo(expected);
  }

  private static final class LogSink implements LogRecordExporter {
    final List<LogRecordData> logs = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<LogRecordData> batch) {
      logs.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void sdkLogsJsonDecodesToTheSameMessageAsItsProtobuf() throws Exception {
    LogSink sink = new LogSink();
    SpanSink spans = new SpanSink();
    try (SdkTracerProvider tracing =
            SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
        SdkLoggerProvider provider =
            SdkLoggerProvider.builder()
                .setResource(RESOURCE)
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(sink))
                .build()) {
      io.opentelemetry.api.logs.Logger logger = provider.get("interop.logger");
      Span span = tracing.get("t").spanBuilder("s").startSpan();
      logger
          .logRecordBuilder()
          .setBody("plain text")
          .setSeverity(Severity.WARN)
          .setSeverityText("WARN")
          .setTimestamp(1_700_000_000_000_000_001L, TimeUnit.NANOSECONDS)
          .setAllAttributes(everyAttributeType())
          .setContext(Context.root().with(span))
          .emit();
      logger
          .logRecordBuilder()
          .setBody(
              Value.of(
                  Map.of(
                      "k",
                      Value.of(1L),
                      "arr",
                      Value.of(Value.of("a"), Value.of(true), Value.of(2.5)),
                      "raw",
                      Value.of(new byte[] {1, 2, 3}))))
          .setSeverity(Severity.ERROR)
          .emit();
      span.end();
    }
    assertThat(sink.logs).hasSize(2);
    LogsRequestMarshaler m = LogsRequestMarshaler.create(sink.logs);
    LogsData expected = LogsData.parseFrom(proto(m));
    assertThat(OtlpJson.decodeLogs(json(m))).isEqualTo(expected);
    assertThat(OtlpJson.decodeLogs(OtlpJson.encode(expected))).isEqualTo(expected);
  }
}
