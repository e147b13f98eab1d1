package io.tiercel.core.builtin.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.builtin.ConfigCases;
import io.tiercel.core.config.ServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorReceiverConfigTest {
  @TempDir Path dir;

  @Test
  void loadsTestdataConfig() throws Exception {
    ServiceConfig c = ConfigCases.load("generator");
    assertThat(ConfigCases.config(c.receivers(), "generator"))
        .isEqualTo(GeneratorReceiverConfig.DEFAULT);
    assertThat(ConfigCases.config(c.receivers(), "generator/custom"))
        .isEqualTo(
            new GeneratorReceiverConfig(
                7,
                5000,
                100_000,
                500,
                4,
                Duration.ofMillis(250),
                2,
                new GeneratorReceiverConfig.Traces(
                    true, 10, 4, 2, 0.01, Duration.ofMillis(5), Duration.ofSeconds(1)),
                new GeneratorReceiverConfig.Metrics(false),
                new GeneratorReceiverConfig.Logs(true, 0.05, false)));
  }

  static Stream<Arguments> invalid() throws Exception {
    return ConfigCases.invalid("generator");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, String yaml, String error) throws Exception {
    ConfigCases.assertFails(dir, name, yaml, error);
  }
}
