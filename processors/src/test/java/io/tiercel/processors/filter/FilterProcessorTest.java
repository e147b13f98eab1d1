package io.tiercel.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.processors.Sink;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FilterProcessorTest {
  private final Settings settings =
      Settings.forTest(Kind.PROCESSOR, ComponentId.parse("filter/ottl"), Signal.TRACES);

  static double counter(Settings s, String name) {
    for (MetricSnapshot m : s.metrics().prometheus().scrape()) {
      if (m.getMetadata().getPrometheusName().equals(name)) {
        return ((CounterSnapshot) m).getDataPoints().get(0).getValue();
      }
    }
    return -1;
  }

  @Test
  void factoryIsFoundWithItsStability() {
    var f = (FilterFactory) ComponentRegistry.load().find(Kind.PROCESSOR, "filter");
    assertThat(f).isNotNull();
    assertThat(f.signals())
        .isEqualTo(
            Map.of(
                Signal.TRACES,
                Stability.ALPHA,
                Signal.METRICS,
                Stability.ALPHA,
                Signal.LOGS,
                Stability.ALPHA));
  }

  @Test
  void readmeConfigDropsEverySpanOfLocalhostAndCompletesAtOnce() throws Exception {
    FilterConfig c = FilterConfigTest.config("filter/ottl");
    Sink<Traces> sink = new Sink<>(false);
    Processor<Traces> p = new FilterFactory().createTraces(settings, c, sink);
    assertThat(p.mutatesData()).isTrue();
    CompletableFuture<Void> f = p.consume(Context.EMPTY, Traces.of(Fixtures.traces(null)));
    assertThat(f).isCompleted();
    assertThat(sink.received).isEmpty();
    assertThat(counter(settings, "otelcol_processor_filter_spans_filtered")).isEqualTo(2.0);
  }

  @Test
  void partialDropForwardsAndCompletesWithDownstream() throws Exception {
    FilterConfig c =
        YamlBinder.bind(
            FilterConfig.defaults(),
            YamlBinder.yaml("trace_conditions: ['span.kind == SPAN_KIND_CLIENT']"));
    Sink<Traces> sink = new Sink<>(false);
    Processor<Traces> p = new FilterFactory().createTraces(settings, c, sink);
    CompletableFuture<Void> f = p.consume(Context.EMPTY, Traces.of(Fixtures.traces(null)));
    assertThat(f).isNotDone();
    assertThat(sink.received).hasSize(1);
    assertThat(sink.received.get(0).itemCount()).isEqualTo(1);
    assertThat(
            sink.received
                .get(0)
                .message()
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpans(0)
                .getName())
        .isEqualTo("GET /users/123");
    sink.futures.get(0).complete(null);
    assertThat(f).isCompleted();
    assertThat(counter(settings, "otelcol_processor_filter_spans_filtered")).isEqualTo(1.0);
  }

  @Test
  void nothingDroppedForwardsTheSameObject() {
    FilterConfig c =
        YamlBinder.bind(
            FilterConfig.defaults(),
            YamlBinder.yaml("trace_conditions: ['span.name == \"nope\"']"));
    Sink<Traces> sink = new Sink<>(true);
    Traces in = Traces.ofBytes(Fixtures.traces(null).toByteArray());
    new FilterFactory().createTraces(settings, c, sink).consume(Context.EMPTY, in);
    assertThat(sink.received).containsExactly(in);
    assertThat(sink.received.get(0)).isSameAs(in);
  }

  @Test
  void readmeMetricsAndLogsConditions() throws Exception {
    FilterConfig c = FilterConfigTest.config("filter/ottl");
    Settings ms =
        Settings.forTest(Kind.PROCESSOR, ComponentId.parse("filter/ottl"), Signal.METRICS);
    Sink<Metrics> msink = new Sink<>(true);
    new FilterFactory()
        .createMetrics(ms, c, msink)
        .consume(Context.EMPTY, Metrics.of(Fixtures.metrics(null)));
    assertThat(
            msink
                .received
                .get(0)
                .message()
                .getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetricsList())
        .extracting(m -> m.getName())
        .containsExactly("system.cpu.usage", "requests");
    assertThat(counter(ms, "otelcol_processor_filter_datapoints_filtered")).isEqualTo(2.0);

    Settings ls = Settings.forTest(Kind.PROCESSOR, ComponentId.parse("filter/ottl"), Signal.LOGS);
    Sink<Logs> lsink = new Sink<>(true);
    CompletableFuture<Void> f =
        new FilterFactory()
            .createLogs(ls, c, lsink)
            .consume(Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(f).isCompleted();
    assertThat(lsink.received).isEmpty();
    assertThat(counter(ls, "otelcol_processor_filter_logs_filtered")).isEqualTo(3.0);
  }

  private static Settings gated(String... flags) {
    Settings t = Settings.forTest(Kind.PROCESSOR, ComponentId.parse("filter"), Signal.LOGS);
    FeatureGates gates = FeatureGates.of(new FilterFactory().featureGates()).apply(List.of(flags));
    return new Settings(
        t.id(),
        t.kind(),
        t.signal(),
        t.logger(),
        t.metrics(),
        t.clock(),
        t.build(),
        SharedComponents.create(gates));
  }

  @Test
  void unsetErrorModeIgnoresUnlessTheCollectorsGateIsDisabled() {
    FilterConfig c =
        YamlBinder.bind(
            FilterConfig.defaults(),
            YamlBinder.yaml("log_conditions: ['Len(log.attributes[\"user.id\"]) > 1']"));
    Sink<Logs> sink = new Sink<>(true);
    CompletableFuture<Void> ignored =
        new FilterFactory()
            .createLogs(gated(), c, sink)
            .consume(Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(ignored).isCompleted();
    assertThat(sink.received).hasSize(1);
    assertThat(sink.received.get(0).message()).isEqualTo(Fixtures.logs(null));

    Sink<Logs> failing = new Sink<>(true);
    CompletableFuture<Void> propagated =
        new FilterFactory()
            .createLogs(gated("-processor.filter.defaultErrorModeIgnore"), c, failing)
            .consume(Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(propagated).isCompletedExceptionally();
    assertThat(failing.received).isEmpty();
  }

  @Test
  void propagateFailsTheBatchWithAPermanentError() {
    FilterConfig c =
        YamlBinder.bind(
            FilterConfig.defaults(),
            YamlBinder.yaml(
                "error_mode: propagate\n"
                    + "log_conditions: ['Len(log.attributes[\"user.id\"]) > 1']"));
    Sink<Logs> sink = new Sink<>(true);
    CompletableFuture<Void> f =
        new FilterFactory()
            .createLogs(settings, c, sink)
            .consume(Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(f).isCompletedExceptionally();
    assertThat(sink.received).isEmpty();
    try {
      f.get();
    } catch (InterruptedException | ExecutionException e) {
      assertThat(e.getCause())
          .isInstanceOf(PermanentException.class)
          .hasMessage(
              "failed to execute condition Len(log.attributes[\"user.id\"]) > 1: Len: unsupported"
                  + " type int64, expected a string, slice or map");
    }
  }

  @Test
  void ignoreModeKeepsItemsWhoseConditionFails() {
    FilterConfig c =
        YamlBinder.bind(
            FilterConfig.defaults(),
            YamlBinder.yaml(
                "error_mode: ignore\n"
                    + "log_conditions: ['Len(log.attributes[\"user.id\"]) > 1', 'log.severity_text"
                    + " == \"INFO\"']"));
    Sink<Logs> sink = new Sink<>(true);
    new FilterFactory()
        .createLogs(settings, c, sink)
        .consume(Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(
            sink.received.get(0).message().getResourceLogs(0).getScopeLogs(0).getLogRecordsList())
        .extracting(l -> l.getSeverityText())
        .containsExactly("ERROR", "DEBUG");
  }

  @Test
  void groupedRootSpanConditionDropsOnlyRootHealthChecks() {
    FilterConfig c =
        YamlBinder.bind(
            FilterConfig.defaults(),
            YamlBinder.yaml(
                """
                trace_conditions:
                  - context: span
                    conditions:
                      - IsRootSpan() and IsMatch(span.attributes["url.path"], "^/(health|metrics)(/|$)")
                """));
    Map<String, Object> health = Map.of("span.attributes", Map.of("url.path", "/health"));
    var data = Fixtures.traces(health).toBuilder();
    data.getResourceSpansBuilder(0)
        .getScopeSpansBuilder(0)
        .getSpansBuilder(0)
        .setParentSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]));
    Sink<Traces> sink = new Sink<>(true);
    new FilterFactory()
        .createTraces(settings, c, sink)
        .consume(Context.EMPTY, Traces.of(data.build()));
    assertThat(sink.received.get(0).message().getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(s -> s.getName())
        .isEqualTo(List.of("SELECT users"));
  }

  @Test
  void shutdownWithoutStartIsSafeAndIdempotent() throws Exception {
    Processor<Traces> p =
        new FilterFactory().createTraces(settings, FilterConfig.defaults(), new Sink<>(true));
    p.shutdown(io.tiercel.core.component.Deadline.in(java.time.Duration.ofSeconds(1)));
    p.shutdown(io.tiercel.core.component.Deadline.in(java.time.Duration.ofSeconds(1)));
  }
}
