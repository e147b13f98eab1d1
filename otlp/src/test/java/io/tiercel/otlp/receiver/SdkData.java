package io.tiercel.otlp.receiver;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real telemetry made with the OpenTelemetry Java SDK, collected in memory so that tests can export
 * it.
 */
final class SdkData {
  static final Resource RESOURCE =
      Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "it-service"));

  private SdkData() {}

  /**
   * Two spans of one trace: {@code parent} (attribute {@code http.method=GET}) and its {@code
   * child}.
   */
  static List<SpanData> spans() {
    List<SpanData> out = new ArrayList<>();
    SpanExporter collect =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> spans) {
            out.addAll(spans);
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
        };
    SdkTracerProvider tp =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .addSpanProcessor(SimpleSpanProcessor.create(collect))
            .build();
    Tracer tracer = tp.get("it-scope");
    Span parent = tracer.spanBuilder("parent").setAttribute("http.method", "GET").startSpan();
    Span child =
        tracer
            .spanBuilder("child")
            .setParent(io.opentelemetry.context.Context.root().with(parent))
            .startSpan();
    child.end();
    parent.end();
    tp.shutdown().join(5, TimeUnit.SECONDS);
    return out;
  }

  /** One counter {@code requests} with two data points (route /a = 3, route /b = 4). */
  static List<MetricData> metrics() {
    List<MetricData> out = new ArrayList<>();
    MetricExporter collect =
        new MetricExporter() {
          @Override
          public CompletableResultCode export(Collection<MetricData> metrics) {
            synchronized (out) {
              if (out.isEmpty()) {
                out.addAll(metrics);
              }
            }
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

          @Override
          public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
          }

          @Override
          public MemoryMode getMemoryMode() {
            return MemoryMode.IMMUTABLE_DATA;
          }
        };
    SdkMeterProvider mp =
        SdkMeterProvider.builder()
            .setResource(RESOURCE)
            .registerMetricReader(
                PeriodicMetricReader.builder(collect).setInterval(Duration.ofHours(1)).build())
            .build();
    LongCounter c = mp.get("it-scope").counterBuilder("requests").build();
    c.add(3, Attributes.of(AttributeKey.stringKey("route"), "/a"));
    c.add(4, Attributes.of(AttributeKey.stringKey("route"), "/b"));
    mp.forceFlush().join(5, TimeUnit.SECONDS);
    mp.shutdown().join(5, TimeUnit.SECONDS);
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  /** One WARN log record with body {@code hello} and attribute {@code k=v}. */
  static List<LogRecordData> logs() {
    List<LogRecordData> out = new ArrayList<>();
    LogRecordExporter collect =
        new LogRecordExporter() {
          @Override
          public CompletableResultCode export(Collection<LogRecordData> logs) {
            out.addAll(logs);
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
        };
    SdkLoggerProvider lp =
        SdkLoggerProvider.builder()
            .setResource(RESOURCE)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(collect))
            .build();
    lp.get("it-scope")
        .logRecordBuilder()
        .setBody("hello")
        .setSeverity(Severity.WARN)
        .setAttribute(AttributeKey.stringKey("k"), "v")
        .emit();
    lp.shutdown().join(5, TimeUnit.SECONDS);
    return out;
  }
}
