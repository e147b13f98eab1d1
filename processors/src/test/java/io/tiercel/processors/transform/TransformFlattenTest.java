package io.tiercel.processors.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.processors.Sink;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code flatten_data}: refused without the collector's gate {@code transform.flatten.logs}; with
 * it, each log record has its own resource and scope while the statements run (the README's
 * example), and records are regrouped after.
 */
class TransformFlattenTest {
  private static final String README_EXAMPLE =
      """
      flatten_data: true
      log_statements:
        - set(resource.attributes["to"], log.attributes["from"])
      """;

  private static Settings settings(boolean gateOn) {
    FeatureGates gates = FeatureGates.of(List.of(TransformFactory.FLATTEN_LOGS_GATE));
    if (gateOn) {
      gates = gates.apply("transform.flatten.logs");
    }
    Settings t = Settings.forTest(Kind.PROCESSOR, ComponentId.parse("transform"), Signal.LOGS);
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

  private static TransformConfig config(String yaml) {
    return YamlBinder.bind(TransformConfig.defaults(), YamlBinder.yaml(yaml));
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static LogRecord record(String from) {
    return LogRecord.newBuilder().setSeverityText(from).addAttributes(kv("from", from)).build();
  }

  /** One resource and scope holding records whose attribute "from" is each of {@code froms}. */
  private static LogsData logs(String... froms) {
    ScopeLogs.Builder sl =
        ScopeLogs.newBuilder()
            .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
            .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1"));
    for (String f : froms) {
      sl.addLogRecords(record(f));
    }
    return LogsData.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("host", "h")))
                .addScopeLogs(sl))
        .build();
  }

  private static LogsData run(Settings s, TransformConfig c, LogsData in) {
    Sink<Logs> sink = new Sink<>(true);
    Processor<Logs> p = new TransformFactory().createLogs(s, c, sink);
    assertThat(p.consume(Context.EMPTY, Logs.of(in))).isCompleted();
    return sink.received.get(0).message();
  }

  /** Each resource's "to" attribute and the severity texts of its records. */
  private static Map<Object, List<String>> byResource(LogsData d) {
    return d.getResourceLogsList().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                rl -> Fixtures.plain(rl.getResource().getAttributesList()).get("to"),
                rl ->
                    rl.getScopeLogsList().stream()
                        .flatMap(sl -> sl.getLogRecordsList().stream())
                        .map(LogRecord::getSeverityText)
                        .toList(),
                (a, b) -> a,
                java.util.LinkedHashMap::new));
  }

  @Test
  void withoutTheGateFlattenDataIsTheCollectorsError() {
    TransformConfig c = config(README_EXAMPLE);
    String message =
        "'flatten_data' requires the 'transform.flatten.logs' feature gate to be enabled";
    assertThatThrownBy(
            () -> new TransformFactory().createLogs(settings(false), c, new Sink<>(true)))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.key()).isEqualTo("flatten_data"))
        .hasMessage(message);
    assertThatThrownBy(
            () -> new TransformFactory().createTraces(settings(false), c, new Sink<Traces>(true)))
        .hasMessage(message);
  }

  @Test
  void readmeExampleGivesEachRecordItsOwnResource() {
    LogsData out = run(settings(true), config(README_EXAMPLE), logs("a", "b"));
    assertThat(byResource(out))
        .containsExactly(Map.entry("a", List.of("a")), Map.entry("b", List.of("b")));
    ResourceLogs first = out.getResourceLogs(0);
    assertThat(Fixtures.plain(first.getResource().getAttributesList()))
        .containsExactly(Map.entry("host", "h"), Map.entry("to", "a"));
    assertThat(first.getScopeLogs(0).getScope().getName()).isEqualTo("lib");
    assertThat(first.getScopeLogs(0).getSchemaUrl())
        .isEqualTo("https://opentelemetry.io/schemas/1.21.0");
  }

  @Test
  void recordsAreRegroupedByResourceAndScopeInFirstSeenOrder() {
    LogsData out = run(settings(true), config(README_EXAMPLE), logs("a", "b", "a", "c", "b"));
    assertThat(byResource(out))
        .containsExactly(
            Map.entry("a", List.of("a", "a")),
            Map.entry("b", List.of("b", "b")),
            Map.entry("c", List.of("c")));
    assertThat(out.getResourceLogsList())
        .allSatisfy(rl -> assertThat(rl.getScopeLogsCount()).isOne());
  }

  @Test
  void withoutFlattenDataTheSharedResourceTakesTheLastValue() {
    TransformConfig c =
        config("log_statements:\n  - set(resource.attributes[\"to\"], log.attributes[\"from\"])\n");
    LogsData out = run(settings(true), c, logs("a", "b"));
    assertThat(byResource(out)).containsExactly(Map.entry("b", List.of("a", "b")));
  }

  @Test
  void flattenDataAloneRegroupsSplitResources() {
    LogsData in = logs("a").toBuilder().addAllResourceLogs(logs("b").getResourceLogsList()).build();
    LogsData out = run(settings(true), config("flatten_data: true\n"), in);
    assertThat(out.getResourceLogsCount()).isOne();
    assertThat(out.getResourceLogs(0).getScopeLogs(0).getLogRecordsCount()).isEqualTo(2);
  }
}
