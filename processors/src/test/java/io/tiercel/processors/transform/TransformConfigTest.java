package io.tiercel.processors.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.ConfigError;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Group;
import io.tiercel.processors.ottl.context.OttlContext;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

class TransformConfigTest {
  static Map<String, Object> load(String path) throws Exception {
    try (InputStream in = TransformConfigTest.class.getResourceAsStream(path)) {
      return new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  static TransformConfig config(String name) throws Exception {
    return YamlBinder.bind(
        new TransformFactory().createDefaultConfig(),
        (Map<String, Object>) load("/testdata/transform/config.yaml").get(name));
  }

  @Test
  void unsetErrorModeIsIgnoreUnlessTheCollectorsGateIsDisabled() {
    TransformFactory f = new TransformFactory();
    assertThat(f.createDefaultConfig().errorMode()).isNull();
    FeatureGates gates = FeatureGates.of(f.featureGates());
    assertThat(TransformFactory.defaultErrorMode(gates)).isEqualTo(ErrorMode.IGNORE);
    assertThat(
            TransformFactory.defaultErrorMode(
                gates.apply("-processor.transform.defaultErrorModeIgnore")))
        .isEqualTo(ErrorMode.PROPAGATE);
  }

  @Test
  void everyReadmeConfigCompiles() throws Exception {
    Map<String, Object> all = load("/testdata/transform/config.yaml");
    assertThat(all).hasSize(6);
    for (String name : all.keySet()) {
      TransformConfig c = config(name);
      assertThat(
              c.groups(Signal.TRACES).size()
                  + c.groups(Signal.METRICS).size()
                  + c.groups(Signal.LOGS).size())
          .as(name)
          .isPositive();
    }
  }

  @Test
  void basicConfigMakesOneGroupPerStatementWithInferredContexts() throws Exception {
    TransformConfig c = config("transform/basic");
    assertThat(c.groups(Signal.TRACES))
        .extracting(Group::context)
        .containsOnly(OttlContext.SPAN)
        .hasSize(4);
    assertThat(c.groups(Signal.METRICS))
        .extracting(Group::context)
        .containsExactly(
            OttlContext.RESOURCE,
            OttlContext.RESOURCE,
            OttlContext.METRIC,
            OttlContext.METRIC,
            OttlContext.METRIC);
    assertThat(c.groups(Signal.LOGS)).extracting(Group::context).containsOnly(OttlContext.LOG);
    assertThat(c.groups(Signal.LOGS)).extracting(Group::errorMode).containsOnly(ErrorMode.IGNORE);
  }

  @Test
  void advancedGroupsKeepConditionsAndErrorMode() throws Exception {
    TransformConfig c = config("transform/advanced");
    Group m = c.groups(Signal.METRICS).get(0);
    assertThat(m.context()).isEqualTo(OttlContext.METRIC);
    assertThat(m.errorMode()).isEqualTo(ErrorMode.PROPAGATE);
    assertThat(m.conditions()).hasSize(1);
    Group l = c.groups(Signal.LOGS).get(0);
    assertThat(l.context()).isEqualTo(OttlContext.LOG);
    assertThat(l.errorMode()).isEqualTo(ErrorMode.IGNORE);
  }

  @Test
  void statementsAreCompiledOnceWhenTheConfigIsBound() throws Exception {
    TransformConfig c = config("transform/advanced");
    assertThat(c.groups(Signal.METRICS).get(0)).isSameAs(c.groups(Signal.METRICS).get(0));
    assertThat(c.groups(Signal.LOGS)).isSameAs(c.groups(Signal.LOGS));
  }

  @Test
  void readmeInferenceExamples() throws Exception {
    assertThat(config("transform/inferred_datapoint").groups(Signal.METRICS))
        .extracting(Group::context)
        .containsExactly(OttlContext.DATAPOINT);
    assertThat(config("transform/inferred_metric").groups(Signal.METRICS))
        .extracting(Group::context)
        .containsExactly(OttlContext.RESOURCE, OttlContext.METRIC);
    assertThat(config("transform/separate_groups").groups(Signal.METRICS))
        .extracting(Group::context)
        .containsExactly(OttlContext.METRIC, OttlContext.DATAPOINT);
  }

  @Test
  void statementsOfAGroupWithoutContextShareTheDeepestOne() {
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            YamlBinder.yaml(
                """
                metric_statements:
                  - statements:
                      - set(resource.attributes["test"], "passed")
                      - set(metric.description, "test passed") where datapoint.attributes["test"] == "pass"
                """));
    assertThat(c.groups(Signal.METRICS))
        .extracting(Group::context)
        .containsExactly(OttlContext.DATAPOINT);
    assertThat(c.groups(Signal.METRICS).get(0).statements()).hasSize(2);
  }

  @Test
  void metricStatementsSelectTheExemplarContextByNameOrPrefix() {
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            YamlBinder.yaml(
                """
                metric_statements:
                  - context: exemplar
                    statements:
                      - set(time_unix_nano, 1) where datapoint.attributes["k"] == "v"
                  - statements:
                      - set(datapoint.attributes["n"], 1)
                      - set(exemplar.int_value, 2)
                  - set(exemplar.filtered_attributes["m"], metric.name)
                """));
    assertThat(c.groups(Signal.METRICS))
        .extracting(Group::context)
        .containsExactly(OttlContext.EXEMPLAR, OttlContext.EXEMPLAR, OttlContext.EXEMPLAR);
  }

  @Test
  void groupsFollowedByStatementStringsAreAcceptedAsTheCollectorDoes() throws Exception {
    TransformConfig c =
        YamlBinder.bind(
            TransformConfig.defaults(),
            YamlBinder.yaml(
                """
                trace_statements:
                  - context: resource
                    statements:
                      - set(attributes["a"], "1")
                  - set(span.name, "b")
                """));
    assertThat(c.groups(Signal.TRACES))
        .extracting(Group::context)
        .containsExactly(OttlContext.RESOURCE, OttlContext.SPAN);
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> invalid() throws Exception {
    Map<String, Object> all = load("/testdata/transform/invalid_configs.yaml");
    return all.entrySet().stream()
        .map(e -> Arguments.of(Named.of(e.getKey(), (Map<String, Object>) e.getValue())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  @SuppressWarnings("unchecked")
  void invalidConfigsNameTheKeyAndPosition(Map<String, Object> spec) {
    assertThatThrownBy(
            () ->
                YamlBinder.bind(
                    TransformConfig.defaults(), (Map<String, Object>) spec.get("config")))
        .isInstanceOfSatisfying(
            YamlBinder.BindException.class,
            e ->
                assertThat(e.errors)
                    .containsExactly(
                        new ConfigError((String) spec.get("key"), (String) spec.get("message"))));
  }

  @Test
  void listOfConfigKeys() {
    assertThat(List.of(TransformConfig.class.getRecordComponents()).stream().map(r -> r.getName()))
        .containsExactly(
            "errorMode", "traceStatements", "metricStatements", "logStatements", "flattenData");
  }
}
