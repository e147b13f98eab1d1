package io.tiercel.processors.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.ConfigError;
import io.tiercel.processors.ReadmeTables;
import io.tiercel.processors.YamlBinder;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** The memory_limiter config: defaults, the valid and invalid testdata, and the README's table. */
class MemoryLimiterConfigTest {
  static Map<String, Object> load(String path) throws Exception {
    try (InputStream in = MemoryLimiterConfigTest.class.getResourceAsStream(path)) {
      return new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  static MemoryLimiterConfig config(String name) throws Exception {
    return YamlBinder.bind(
        new MemoryLimiterProcessorFactory().createDefaultConfig(),
        (Map<String, Object>) load("/testdata/memory_limiter/config.yaml").get(name));
  }

  @Test
  void defaultsAreTheCollectors() {
    MemoryLimiterConfig d = new MemoryLimiterProcessorFactory().createDefaultConfig();
    assertThat(d.checkInterval()).isZero();
    assertThat(d.limitMib()).isZero();
    assertThat(d.spikeLimitMib()).isZero();
    assertThat(d.limitPercentage()).isZero();
    assertThat(d.spikeLimitPercentage()).isZero();
    assertThat(d.minGcIntervalWhenSoftLimited()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.minGcIntervalWhenHardLimited()).isZero();
  }

  @Test
  void validConfigsLoad() throws Exception {
    assertThat(load("/testdata/memory_limiter/config.yaml")).hasSize(2);
    assertThat(config("memory_limiter/percentage"))
        .isEqualTo(
            new MemoryLimiterConfig(
                Duration.ofSeconds(1), 0, 0, 80, 25, Duration.ofSeconds(10), Duration.ZERO));
    MemoryLimiterConfig mib = config("memory_limiter/mib");
    assertThat(mib)
        .isEqualTo(
            new MemoryLimiterConfig(
                Duration.ofMillis(500),
                4000,
                800,
                50,
                10,
                Duration.ofSeconds(30),
                Duration.ofSeconds(5)));
    long heap = 8_000L << 20;
    assertThat(mib.hardLimitBytes(heap)).as("limit_mib wins").isEqualTo(4000L << 20);
    assertThat(mib.softLimitBytes(heap)).isEqualTo(3200L << 20);
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> invalid() throws Exception {
    return load("/testdata/memory_limiter/invalid_configs.yaml").entrySet().stream()
        .map(e -> Arguments.of(Named.of(e.getKey(), (Map<String, Object>) e.getValue())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  @SuppressWarnings("unchecked")
  void invalidConfigsNameTheKey(Map<String, Object> spec) {
    assertThatThrownBy(
            () ->
                YamlBinder.bind(
                    new MemoryLimiterProcessorFactory().createDefaultConfig(),
                    (Map<String, Object>) spec.get("config")))
        .isInstanceOfSatisfying(
            YamlBinder.BindException.class,
            e ->
                assertThat(e.errors)
                    .containsExactly(
                        new ConfigError((String) spec.get("key"), (String) spec.get("message"))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theReadmeTableListsEveryKeyAndItsExampleLoads() throws Exception {
    assertThat(ReadmeTables.documentedKeys(ReadmeTables.readme("memorylimiter")))
        .isEqualTo(ReadmeTables.configKeys(MemoryLimiterConfig.class));
    Map<String, Object> doc =
        new Yaml().load(ReadmeTables.yamlExample(ReadmeTables.readme("memorylimiter")));
    Map<String, Object> raw =
        (Map<String, Object>) ((Map<String, Object>) doc.get("processors")).get("memory_limiter");
    assertThat(YamlBinder.bind(MemoryLimiterConfig.DEFAULT, raw))
        .isEqualTo(config("memory_limiter/percentage"));
  }
}
