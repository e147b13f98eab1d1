package io.tiercel.core.builtin.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.builtin.ConfigCases;
import io.tiercel.core.builtin.debug.DebugExporterConfig.Verbosity;
import io.tiercel.core.config.ServiceConfig;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DebugExporterConfigTest {
  @TempDir Path dir;

  @Test
  void loadsTestdataConfig() throws Exception {
    ServiceConfig c = ConfigCases.load("debug");
    assertThat(ConfigCases.config(c.exporters(), "debug")).isEqualTo(DebugExporterConfig.DEFAULT);
    assertThat(ConfigCases.config(c.exporters(), "debug/normal"))
        .isEqualTo(new DebugExporterConfig(Verbosity.NORMAL, 10, 100));
    assertThat(ConfigCases.config(c.exporters(), "debug/detailed"))
        .isEqualTo(new DebugExporterConfig(Verbosity.DETAILED, 2, 1));
  }

  static Stream<Arguments> invalid() throws Exception {
    return ConfigCases.invalid("debug");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, String yaml, String error) throws Exception {
    ConfigCases.assertFails(dir, name, yaml, error);
  }
}
