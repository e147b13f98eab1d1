package io.tiercel.processors.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.ConfigError;
import io.tiercel.processors.YamlBinder;
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
    assertThat(d.tick()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.decisionWaitAfterRootReceived()).isZero();
    assertThat(d.maximumTraceSizeBytes()).isZero();
    assertThat(d.sampleOnFirstMatch()).isFalse();
    assertThat(d.dropPendingTracesOnShutdown()).isFalse();
  }

  @Test
  void theEarlierConstructorLeavesTheNewKeysOff() {
    TailSamplingConfig c =
        new TailSamplingConfig(
            Duration.ofSeconds(5), 10, 0, null, false, List.of(), Duration.ofMillis(5));
    assertThat(c.decisionWaitAfterRootReceived()).isZero();
    assertThat(c.maximumTraceSizeBytes()).isZero();
    assertThat(c.sampleOnFirstMatch()).isFalse();
    assertThat(c.dropPendingTracesOnShutdown()).isFalse();
    TailSamplingConfig nine =
        new TailSamplingConfig(
            Duration.ofSeconds(5),
            10,
            0,
            null,
            false,
            List.of(),
            Duration.ofMillis(5),
            Duration.ofSeconds(1),
            100);
    assertThat(nine.maximumTraceSizeBytes()).isEqualTo(100);
    assertThat(nine.sampleOnFirstMatch()).isFalse();
    assertThat(nine.dropPendingTracesOnShutdown()).isFalse();
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
    List<Policy> ps = c.compiledPolicies(Clock.systemUTC(), null);
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
        .containsExactlyInAnyOrderElementsOf(Policies.TYPES);
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
    assertThat(c.compiledPolicies(Clock.systemUTC(), null))
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
            "tick",
            "decisionWaitAfterRootReceived",
            "maximumTraceSizeBytes",
            "sampleOnFirstMatch",
            "dropPendingTracesOnShutdown");
  }
}
