package io.tiercel.processors.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.ConfigError;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.Errors;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

class TailSamplingConfigTest {
  private static final Errors ERRORS =
      new Errors(
          org.slf4j.LoggerFactory.getLogger(TailSamplingConfigTest.class),
          "processor tail_sampling");

  static Map<String, Object> load(String path) throws Exception {
    try (InputStream in = TailSamplingConfigTest.class.getResourceAsStream(path)) {
      return new Yaml().load(in);
    }
  }

  @Test
  void defaultsAreTheCollectors() {
    TailSamplingConfig d = new TailSamplingFactory().createDefaultConfig();
    assertThat(d.decisionWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.numTraces()).isEqualTo(50_000);
    assertThat(d.expectedNewTracesPerSec()).isZero();
    assertThat(d.decisionCache()).isEqualTo(new TailSamplingConfig.DecisionCache(0, 0));
    assertThat(d.blockOnOverflow()).isFalse();
    assertThat(d.policies()).isEmpty();
    assertThat(d.decisionWaitAfterRootReceived()).isZero();
    assertThat(d.maximumTraceSizeBytes()).isZero();
    assertThat(d.sampleOnFirstMatch()).isFalse();
    assertThat(d.dropPendingTracesOnShutdown()).isFalse();
    assertThat(d.samplingStrategy()).isEqualTo("trace-complete");
    assertThat(d.tailStorage()).isNull();
    assertThat(d.numShards()).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void readmeConfigLoadsEveryPolicy() throws Exception {
    TailSamplingConfig c =
        YamlBinder.bind(
            TailSamplingConfig.DEFAULT,
            (Map<String, Object>)
                load("/testdata/tail_sampling/config.yaml").get("tail_sampling/readme"));
    assertThat(c.decisionWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.numTraces()).isEqualTo(100);
    assertThat(c.expectedNewTracesPerSec()).isEqualTo(10);
    assertThat(c.decisionCache()).isEqualTo(new TailSamplingConfig.DecisionCache(100_000, 100_000));
    assertThat(c.decisionWaitAfterRootReceived()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.maximumTraceSizeBytes()).isEqualTo(1_048_576);
    assertThat(c.sampleOnFirstMatch()).isTrue();
    assertThat(c.dropPendingTracesOnShutdown()).isTrue();
    assertThat(c.samplingStrategy()).isEqualTo("trace-complete");
    List<Policy> ps = PolicyEvaluators.create(c.policies(), Clock.systemUTC(), ERRORS);
    assertThat(ps)
        .extracting(Policy::type)
        .containsExactly(
            "always_sample",
            "latency",
            "numeric_attribute",
            "probabilistic",
            "status_code",
            "string_attribute",
            "string_attribute",
            "rate_limiting",
            "bytes_limiting",
            "span_count",
            "trace_state",
            "boolean_attribute",
            "ottl_condition",
            "trace_flags",
            "and",
            "not",
            "drop",
            "composite");
    assertThat(ps.stream().map(Policy::type).distinct())
        .containsExactlyInAnyOrderElementsOf(types(PolicyConfig.class));
    assertThat(ps)
        .extracting(Policy::name)
        .startsWith("test-policy-1", "test-policy-2")
        .endsWith("drop-it", "composite-policy-1");
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> invalid() throws Exception {
    Map<String, Object> all = load("/testdata/tail_sampling/invalid_configs.yaml");
    return all.entrySet().stream()
        .map(e -> Arguments.of(Named.of(e.getKey(), (Map<String, Object>) e.getValue())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  @SuppressWarnings("unchecked")
  void invalidConfigsNameTheKey(Map<String, Object> spec) {
    assertThatThrownBy(
            () -> {
              TailSamplingConfig c =
                  YamlBinder.bind(
                      TailSamplingConfig.DEFAULT, (Map<String, Object>) spec.get("config"));
              c.validate();
            })
        .satisfies(
            e -> {
              List<ConfigError> errors =
                  e instanceof YamlBinder.BindException b
                      ? b.errors
                      : List.of(
                          new ConfigError(
                              ((io.tiercel.core.config.InvalidValueException) e).key(),
                              e.getMessage()));
              assertThat(errors)
                  .containsExactly(
                      new ConfigError((String) spec.get("key"), (String) spec.get("message")));
            });
  }

  @Test
  @SuppressWarnings("unchecked")
  void theReadmeExampleLoads() throws Exception {
    String readme =
        java.nio.file.Files.readString(
            java.nio.file.Path.of("src/main/java/io/tiercel/processors/tailsampling/README.md"));
    int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
    Map<String, Object> doc =
        new Yaml().load(readme.substring(start, readme.indexOf("```", start)));
    Map<String, Object> raw =
        (Map<String, Object>) ((Map<String, Object>) doc.get("processors")).get("tail_sampling");
    TailSamplingConfig c = YamlBinder.bind(TailSamplingConfig.DEFAULT, raw);
    c.validate();
    assertThat(c.decisionWaitAfterRootReceived()).isEqualTo(Duration.ofSeconds(2));
    assertThat(PolicyEvaluators.create(c.policies(), Clock.systemUTC(), ERRORS))
        .extracting(Policy::type)
        .contains("composite", "drop");
  }

  @Test
  void listOfConfigKeys() {
    assertThat(Stream.of(TailSamplingConfig.class.getRecordComponents()).map(r -> r.getName()))
        .containsExactly(
            "decisionWait",
            "numTraces",
            "expectedNewTracesPerSec",
            "decisionCache",
            "blockOnOverflow",
            "policies",
            "decisionWaitAfterRootReceived",
            "maximumTraceSizeBytes",
            "sampleOnFirstMatch",
            "dropPendingTracesOnShutdown",
            "samplingStrategy",
            "tailStorage",
            "numShards");
  }

  @Test
  void numShardsIsAcceptedAndNotNegative() throws Exception {
    assertThat(
            YamlBinder.bind(
                    TailSamplingConfig.DEFAULT,
                    YamlBinder.yaml("num_shards: 4\npolicies: [{name: all, type: always_sample}]"))
                .numShards())
        .isEqualTo(4);
    assertThat(
            YamlBinder.bind(
                    TailSamplingConfig.DEFAULT,
                    YamlBinder.yaml("num_shards: 0\npolicies: [{name: all, type: always_sample}]"))
                .numShards())
        .isEqualTo(1);
    assertThatThrownBy(
            () ->
                YamlBinder.bind(
                    TailSamplingConfig.DEFAULT,
                    YamlBinder.yaml(
                        "num_shards: -2\npolicies: [{name: all, type: always_sample}]")))
        .isInstanceOfSatisfying(
            YamlBinder.BindException.class,
            e ->
                assertThat(e.errors)
                    .containsExactly(
                        new ConfigError("num_shards", "must not be negative, got -2")));
  }

  /** Every type a sealed policy interface admits, as named in YAML. */
  static List<String> types(Class<?> sealed) {
    List<String> out = new java.util.ArrayList<>();
    for (Class<?> c : sealed.getPermittedSubclasses()) {
      if (c.isRecord()) {
        out.add(io.tiercel.core.config.ConfigBinder.variantName(c));
      } else {
        out.addAll(types(c));
      }
    }
    return out;
  }

  @Test
  void theTypesAreTheCollectorsInItsOrder() {
    List<String> shared =
        List.of(
            "always_sample",
            "latency",
            "numeric_attribute",
            "probabilistic",
            "status_code",
            "string_attribute",
            "rate_limiting",
            "bytes_limiting",
            "span_count",
            "trace_state",
            "boolean_attribute",
            "ottl_condition",
            "trace_flags");
    assertThat(types(SharedPolicy.class)).isEqualTo(shared);
    assertThat(types(PolicyConfig.CompositeSubPolicy.class))
        .containsExactlyElementsOf(concat(shared, "and"));
    assertThat(types(PolicyConfig.class))
        .containsExactlyElementsOf(concat(shared, "and", "not", "drop", "composite"));
  }

  private static List<String> concat(List<String> a, String... more) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(more));
    return out;
  }

  @Test
  void everyErrorOfEveryPolicyIsReportedAtOnceWithItsPath() {
    assertThatThrownBy(
            () ->
                YamlBinder.bind(
                    TailSamplingConfig.DEFAULT,
                    YamlBinder.yaml(
                        """
                        policies:
                          - {name: a, type: always_sample}
                          - {name: b, type: latency, latency: {threshold_ms: -1}}
                          - {name: c, type: sometimes}
                          - {name: d, type: span_count, span_count: {min_spans: x, max: 2}}
                          - name: e
                            type: and
                            and:
                              and_sub_policy:
                                - {name: f, type: probabilistic, probabilistic: {sampling_percentage: 200}}
                                - {type: always_sample}
                        """)))
        .isInstanceOfSatisfying(
            YamlBinder.BindException.class,
            e ->
                assertThat(e.errors)
                    .extracting(ConfigError::toString)
                    .containsExactly(
                        "policies[1].latency.threshold_ms: must not be negative, got -1",
                        "policies[2].type: \"sometimes\" is not one of always_sample, latency,"
                            + " numeric_attribute, probabilistic, status_code, string_attribute,"
                            + " rate_limiting, bytes_limiting, span_count, trace_state,"
                            + " boolean_attribute, ottl_condition, trace_flags, and, not, drop,"
                            + " composite",
                        "policies[3].span_count: unknown key \"max\"; valid keys are: min_spans,"
                            + " max_spans",
                        "policies[3].span_count.min_spans: expected a long, got \"x\"",
                        "policies[4].and.and_sub_policy[0].probabilistic.sampling_percentage: must"
                            + " be between 0 and 100, got 200.0",
                        "policies[4].and.and_sub_policy[1].name: is required"));
  }

  @Test
  void errorsCarryTheComponentsFullPath() {
    List<ConfigError> errors = new java.util.ArrayList<>();
    Object yaml =
        YamlBinder.yaml(
            """
            policies:
              - {name: a, type: always_sample}
              - {name: b, type: always_sample}
              - {name: c, type: always_sample}
              - {name: d, type: latency, latency: {threshold_ms: -5}}
            """);
    assertThat(
            io.tiercel.core.config.ConfigBinder.bind(
                TailSamplingConfig.class,
                TailSamplingConfig.DEFAULT,
                yaml,
                "processors.tail_sampling",
                errors))
        .isNull();
    assertThat(errors)
        .extracting(ConfigError::toString)
        .containsExactly(
            "processors.tail_sampling.policies[3].latency.threshold_ms: must not be negative, got"
                + " -5");
  }

  @Test
  void theReadmeTablesListEveryKeyAndEveryPolicyType() throws Exception {
    String readme =
        java.nio.file.Files.readString(io.tiercel.processors.ReadmeTables.readme("tailsampling"));
    int policyTable = readme.indexOf("Policy types");
    java.util.regex.Pattern row =
        java.util.regex.Pattern.compile(
            "^\\| `([a-z0-9_.]+)` \\|", java.util.regex.Pattern.MULTILINE);
    java.util.Set<String> keys = new java.util.TreeSet<>();
    java.util.regex.Matcher m = row.matcher(readme.substring(0, policyTable));
    while (m.find()) {
      keys.add(m.group(1));
    }
    assertThat(keys)
        .isEqualTo(io.tiercel.processors.ReadmeTables.configKeys(TailSamplingConfig.class));
    List<String> types = new java.util.ArrayList<>();
    int typeTable = readme.indexOf("| type |", policyTable);
    m = row.matcher(readme.substring(typeTable, readme.indexOf("\n\n", typeTable)));
    while (m.find()) {
      types.add(m.group(1));
    }
    assertThat(types).isEqualTo(types(PolicyConfig.class));
  }
}
