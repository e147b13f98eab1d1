package io.tiercel.processors.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.ConfigError;
import io.tiercel.processors.ReadmeTables;
import io.tiercel.processors.YamlBinder;
import java.io.InputStream;
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

/** The batch config: defaults, the valid and invalid testdata, and the README's table. */
class BatchConfigTest {
  static Map<String, Object> load(String path) throws Exception {
    try (InputStream in = BatchConfigTest.class.getResourceAsStream(path)) {
      return new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  static BatchConfig config(String name) throws Exception {
    return YamlBinder.bind(
        new BatchProcessorFactory().createDefaultConfig(),
        (Map<String, Object>) load("/testdata/batch/config.yaml").get(name));
  }

  @Test
  void defaultsAreTheCollectors() {
    BatchConfig d = new BatchProcessorFactory().createDefaultConfig();
    assertThat(d.timeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(d.sendBatchSize()).isEqualTo(8192);
    assertThat(d.sendBatchMaxSize()).isZero();
    assertThat(d.metadataKeys()).isEmpty();
    assertThat(d.metadataCardinalityLimit()).isEqualTo(1000);
  }

  @Test
  void validConfigsLoad() throws Exception {
    assertThat(load("/testdata/batch/config.yaml")).hasSize(2);
    assertThat(config("batch/readme"))
        .isEqualTo(new BatchConfig(Duration.ofSeconds(1), 4096, 8192, List.of("tenant"), 100));
    assertThat(config("batch/split_only"))
        .isEqualTo(new BatchConfig(Duration.ZERO, 0, 1000, List.of(), 1000));
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> invalid() throws Exception {
    return load("/testdata/batch/invalid_configs.yaml").entrySet().stream()
        .map(e -> Arguments.of(Named.of(e.getKey(), (Map<String, Object>) e.getValue())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  @SuppressWarnings("unchecked")
  void invalidConfigsNameTheKey(Map<String, Object> spec) {
    assertThatThrownBy(
            () ->
                YamlBinder.bind(
                    new BatchProcessorFactory().createDefaultConfig(),
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
    assertThat(ReadmeTables.documentedKeys(ReadmeTables.readme("batch")))
        .isEqualTo(ReadmeTables.configKeys(BatchConfig.class));
    Map<String, Object> doc =
        new Yaml().load(ReadmeTables.yamlExample(ReadmeTables.readme("batch")));
    Map<String, Object> raw =
        (Map<String, Object>) ((Map<String, Object>) doc.get("processors")).get("batch");
    assertThat(YamlBinder.bind(BatchConfig.DEFAULT, raw)).isEqualTo(config("batch/readme"));
  }
}
