package io.tiercel.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.ConfigError;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.ErrorMode;
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

class FilterConfigTest {
  @SuppressWarnings("unchecked")
  static Map<String, Object> load(String path) throws Exception {
    try (InputStream in = FilterConfigTest.class.getResourceAsStream(path)) {
      return new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  static FilterConfig config(String name) throws Exception {
    return YamlBinder.bind(
        new FilterFactory().createDefaultConfig(),
        (Map<String, Object>) load("/testdata/filter/config.yaml").get(name));
  }

  @Test
  void defaultsAreEmptyWithTheGatedErrorMode() {
    FilterConfig d = new FilterFactory().createDefaultConfig();
    assertThat(d.errorMode()).isNull();
    FeatureGates gates = FeatureGates.of(new FilterFactory().featureGates());
    assertThat(FilterFactory.defaultErrorMode(gates)).isEqualTo(ErrorMode.IGNORE);
    assertThat(
            FilterFactory.defaultErrorMode(gates.apply("-processor.filter.defaultErrorModeIgnore")))
        .isEqualTo(ErrorMode.PROPAGATE);
    assertThat(d.conditions(Signal.TRACES)).isEmpty();
    assertThat(d.conditions(Signal.METRICS)).isEmpty();
    assertThat(d.conditions(Signal.LOGS)).isEmpty();
  }

  @Test
  void everyReadmeConfigCompiles() throws Exception {
    Map<String, Object> all = load("/testdata/filter/config.yaml");
    assertThat(all).hasSize(12);
    for (String name : all.keySet()) {
      FilterConfig c = config(name);
      int n =
          c.conditions(Signal.TRACES).size()
              + c.conditions(Signal.METRICS).size()
              + c.conditions(Signal.LOGS).size();
      assertThat(n).as(name).isPositive();
    }
  }

  @Test
  void readmeOttlExampleHasContextsPerKey() throws Exception {
    FilterConfig c = config("filter/ottl");
    assertThat(c.errorMode()).isEqualTo(ErrorMode.IGNORE);
    assertThat(c.conditions(Signal.TRACES))
        .extracting(r -> r.condition().context())
        .containsExactly(
            OttlContext.SPAN,
            OttlContext.SPAN,
            OttlContext.SPAN,
            OttlContext.SPANEVENT,
            OttlContext.SPANEVENT);
    assertThat(c.conditions(Signal.METRICS))
        .extracting(r -> r.condition().context())
        .containsExactly(
            OttlContext.METRIC, OttlContext.METRIC, OttlContext.DATAPOINT, OttlContext.DATAPOINT);
    assertThat(c.conditions(Signal.LOGS))
        .extracting(r -> r.condition().context())
        .containsExactly(OttlContext.LOG, OttlContext.LOG);
  }

  @Test
  void inferredConditionsGetTheBlogPostsContexts() throws Exception {
    FilterConfig c = config("filter/inferred");
    assertThat(c.errorMode()).as("unset: the gated default applies").isNull();
    assertThat(c.conditions(Signal.TRACES))
        .extracting(r -> r.condition().context())
        .containsExactly(
            OttlContext.RESOURCE,
            OttlContext.SPAN,
            OttlContext.SPAN,
            OttlContext.SPANEVENT,
            OttlContext.SPANEVENT);
  }

  @Test
  void groupsCarryTheirContextAndErrorMode() throws Exception {
    FilterConfig c = config("filter/grouped");
    List<FilterConfig.Rule> rules = c.conditions(Signal.TRACES);
    assertThat(rules)
        .extracting(r -> r.condition().context())
        .containsExactly(OttlContext.SPAN, OttlContext.SPAN);
    assertThat(rules)
        .extracting(FilterConfig.Rule::errorMode)
        .containsExactly(ErrorMode.IGNORE, ErrorMode.SILENT);
  }

  @Test
  void conditionsAreCompiledOnceWhenTheConfigIsBound() throws Exception {
    FilterConfig c = config("filter/ottl");
    assertThat(c.conditions(Signal.TRACES).get(0).condition())
        .isSameAs(c.conditions(Signal.TRACES).get(0).condition());
    assertThat(c.conditions(Signal.METRICS)).isSameAs(c.conditions(Signal.METRICS));
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> invalid() throws Exception {
    Map<String, Object> all = load("/testdata/filter/invalid_configs.yaml");
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
                    new FilterFactory().createDefaultConfig(),
                    (Map<String, Object>) spec.get("config")))
        .isInstanceOfSatisfying(
            YamlBinder.BindException.class,
            e ->
                assertThat(e.errors)
                    .containsExactly(
                        new ConfigError((String) spec.get("key"), (String) spec.get("message"))));
  }
}
