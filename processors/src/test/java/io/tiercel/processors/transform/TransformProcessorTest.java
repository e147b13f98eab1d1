package io.tiercel.processors.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
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
import org.junit.jupiter.api.Test;

class TransformProcessorTest {
  private final Settings settings =
      Settings.forTest(Kind.PROCESSOR, ComponentId.parse("transform"), Signal.TRACES);

  @Test
  void factoryIsRegistered() {
    assertThat(ComponentRegistry.load().find(Kind.PROCESSOR, "transform"))
        .isInstanceOf(TransformFactory.class);
  }

  @Test
  void readmeBasicTraceStatements() throws Exception {
    TransformConfig c = TransformConfigTest.config("transform/basic");
    Map<String, Object> in =
        Map.of(
            "span.attributes",
            Map.of(
                "service.name",
                "checkout",
                "process.command_line",
                "java -jar app.jar password=hunter2 -Xmx1g",
                "http.method",
                "GET"));
    Sink<Traces> sink = new Sink<>(false);
    Processor<Traces> p = new TransformFactory().createTraces(settings, c, sink);
    assertThat(p.mutatesData()).isTrue();
    CompletableFuture<Void> f = p.consume(Context.EMPTY, Traces.of(Fixtures.traces(in)));
    assertThat(f).isNotDone();
    sink.futures.get(0).complete(null);
    assertThat(f).isCompleted();
    Span s = sink.received.get(0).message().getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(Fixtures.plain(s.getAttributesList()))
        .containsOnlyKeys("service.name", "process.command_line")
        .containsEntry("process.command_line", "java -jar app.jar password=***-Xmx1g");
  }

  @Test
  void readmeBasicLogStatements() throws Exception {
    TransformConfig c = TransformConfigTest.config("transform/basic");
    Map<String, Object> in =
        Map.of(
            "log.body",
            "request failed",
            "log.attributes",
            Map.of("http.route", "/user/7/list/9", "path", "/account/1234/x"));
    Sink<Logs> sink = new Sink<>(true);
    new TransformFactory()
        .createLogs(settings, c, sink)
        .consume(Context.EMPTY, Logs.of(Fixtures.logs(in)));
    LogRecord l =
        sink.received.get(0).message().getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(l.getSeverityText()).isEqualTo("FAIL");
    assertThat(Fixtures.plain(l.getAttributesList()))
        .isEqualTo(
            Map.of("http.route", "/user/{userId}/list/{listId}", "path", "/account/{accountId}/x"));
    assertThat(l.getBody().getStringValue()).isEqualTo("/user/{userId}/list/{listId}");
  }

  @Test
  void readmeMetricStatementsConvertTypes() throws Exception {
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            YamlBinder.yaml(
                """
                metric_statements:
                  - convert_sum_to_gauge() where metric.name == "requests"
                  - convert_gauge_to_sum("cumulative", false) where metric.name == "system.cpu.usage"
                  - keep_keys(resource.attributes, ["host.name"])
                """));
    Sink<Metrics> sink = new Sink<>(true);
    new TransformFactory()
        .createMetrics(settings, c, sink)
        .consume(Context.EMPTY, Metrics.of(Fixtures.metrics(null)));
    var rm = sink.received.get(0).message().getResourceMetrics(0);
    List<Metric> ms = rm.getScopeMetrics(0).getMetricsList();
    assertThat(ms.get(1).getDataCase()).isEqualTo(Metric.DataCase.SUM);
    assertThat(ms.get(1).getSum().getAggregationTemporalityValue()).isEqualTo(2);
    assertThat(ms.get(1).getSum().getDataPointsCount()).isEqualTo(2);
    assertThat(ms.get(2).getDataCase()).isEqualTo(Metric.DataCase.GAUGE);
    assertThat(ms.get(2).getGauge().getDataPoints(0).getAsInt()).isEqualTo(42);
    assertThat(rm.getResource().getAttributesList())
        .extracting(KeyValue::getKey)
        .containsExactly("host.name");
  }

  @Test
  void setOnExistingKeyKeepsAttributeOrder() {
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            YamlBinder.yaml(
                "trace_statements: ['set(span.attributes[\"http.status_code\"], 404)',"
                    + " 'set(span.attributes[\"z\"], 1)']"));
    Sink<Traces> sink = new Sink<>(true);
    new TransformFactory()
        .createTraces(settings, c, sink)
        .consume(Context.EMPTY, Traces.of(Fixtures.traces(null)));
    Span s = sink.received.get(0).message().getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(s.getAttributesList())
        .extracting(KeyValue::getKey)
        .containsExactly(
            "http.method", "http.status_code", "http.url", "ratio", "ok", "tags", "nested", "z");
    assertThat(s.getAttributes(1).getValue().getIntValue()).isEqualTo(404);
  }

  @Test
  void groupErrorModePropagateFailsTheBatch() {
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            YamlBinder.yaml(
                """
                error_mode: ignore
                log_statements:
                  - error_mode: propagate
                    statements:
                      - set(log.attributes["n"], Int(log.body) + 1)
                """));
    Sink<Logs> sink = new Sink<>(true);
    CompletableFuture<Void> f =
        new TransformFactory()
            .createLogs(settings, c, sink)
            .consume(Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(f).isCompletedExceptionally();
    assertThat(sink.received).isEmpty();
    assertThat(f)
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(PermanentException.class)
        .withMessage(
            "failed to execute statement set(log.attributes[\"n\"], Int(log.body) + 1): nil must be"
                + " int64, float64, time or duration");
  }

  private static Settings gated(String... flags) {
    Settings t = Settings.forTest(Kind.PROCESSOR, ComponentId.parse("transform"), Signal.LOGS);
    FeatureGates gates =
        FeatureGates.of(new TransformFactory().featureGates()).apply(List.of(flags));
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
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            YamlBinder.yaml(
                """
                log_statements:
                  - set(log.attributes["n"], Int(log.body) + 1)
                  - set(log.attributes["after"], true)
                """));
    Sink<Logs> sink = new Sink<>(true);
    CompletableFuture<Void> ignored =
        new TransformFactory()
            .createLogs(gated(), c, sink)
            .consume(Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(ignored).isCompleted();
    assertThat(sink.received).hasSize(1);
    LogRecord r =
        sink.received.get(0).message().getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(Fixtures.plain(r.getAttributesList())).containsEntry("after", true);

    Sink<Logs> failing = new Sink<>(true);
    CompletableFuture<Void> propagated =
        new TransformFactory()
            .createLogs(gated("-processor.transform.defaultErrorModeIgnore"), c, failing)
            .consume(Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(propagated).isCompletedExceptionally();
    assertThat(failing.received).isEmpty();
  }

  @Test
  void noStatementsForwardsTheSameObject() {
    Sink<Traces> sink = new Sink<>(true);
    Traces in = Traces.ofBytes(Fixtures.traces(null).toByteArray());
    new TransformFactory()
        .createTraces(settings, TransformConfig.defaults(), sink)
        .consume(Context.EMPTY, in);
    assertThat(sink.received.get(0)).isSameAs(in);
  }
}
