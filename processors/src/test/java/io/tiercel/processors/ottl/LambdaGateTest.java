package io.tiercel.processors.ottl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.processors.Sink;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.filter.FilterConfig;
import io.tiercel.processors.filter.FilterFactory;
import io.tiercel.processors.tailsampling.TailSamplingConfig;
import io.tiercel.processors.transform.TransformConfig;
import io.tiercel.processors.transform.TransformFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lambda converters build only while the collector's {@code ottl.functions.enableLambda} gate
 * is on, with the collector's error while it is off.
 */
class LambdaGateTest {
  private static final String WHEN =
      "set(log.attributes[\"test\"], When(() => true, \"pass\", \"fail\"))";

  private static Settings settings(Signal signal, String... flags) {
    Settings t = Settings.forTest(Kind.PROCESSOR, ComponentId.parse("transform"), signal);
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
  void transformRejectsALambdaWhileTheGateIsOff() {
    TransformConfig c =
        YamlBinder.bind(TransformConfig.defaults(), Map.of("log_statements", List.of(WHEN)));
    assertThatThrownBy(
            () -> new TransformFactory().createLogs(settings(Signal.LOGS), c, new Sink<>(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "statement \""
                + WHEN
                + "\": function \"When\" is experimental and requires the"
                + " `ottl.functions.enableLambda` feature gate to be enabled");
    Sink<Logs> sink = new Sink<>(true);
    new TransformFactory()
        .createLogs(settings(Signal.LOGS, "ottl.functions.enableLambda"), c, sink)
        .consume(io.tiercel.core.consumer.Context.EMPTY, Logs.of(Fixtures.logs(null)));
    assertThat(
            Fixtures.plain(
                sink.received
                    .get(0)
                    .message()
                    .getResourceLogs(0)
                    .getScopeLogs(0)
                    .getLogRecords(0)
                    .getAttributesList()))
        .containsEntry("test", "pass");
  }

  @Test
  void transformWithoutLambdasNeedsNoGate() {
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            Map.of("log_statements", List.of("set(log.attributes[\"a\"], \"b\")")));
    assertThat(new TransformFactory().createLogs(settings(Signal.LOGS), c, new Sink<>(true)))
        .isNotNull();
  }

  @Test
  void filterRejectsALambdaConditionWhileTheGateIsOff() {
    String cond = "Any(span.attributes, (k, _) => k == \"drop\")";
    FilterConfig c =
        YamlBinder.bind(FilterConfig.defaults(), Map.of("traces", Map.of("span", List.of(cond))));
    assertThatThrownBy(
            () ->
                new FilterFactory()
                    .createTraces(settings(Signal.TRACES), c, new Sink<Traces>(true)))
        .hasMessage(
            "condition \""
                + cond
                + "\": function \"Any\" is experimental and requires the"
                + " `ottl.functions.enableLambda` feature gate to be enabled");
    assertThat(
            new FilterFactory()
                .createTraces(
                    settings(Signal.TRACES, "+ottl.functions.enableLambda"), c, new Sink<>(true)))
        .isNotNull();
  }

  @Test
  void tailSamplingKeepsLambdasOff() {
    assertThatThrownBy(
            () ->
                YamlBinder.bind(
                    TailSamplingConfig.DEFAULT,
                    Map.of(
                        "policies",
                        List.of(
                            Map.of(
                                "name",
                                "o",
                                "type",
                                "ottl_condition",
                                "ottl_condition",
                                Map.of(
                                    "span", List.of("Any(attributes, (k, _) => k == \"x\")")))))))
        .hasMessageContaining(
            "function \"Any\" is experimental and requires the `ottl.functions.enableLambda`"
                + " feature gate to be enabled");
  }
}
