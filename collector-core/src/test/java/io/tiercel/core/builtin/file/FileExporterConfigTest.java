package io.tiercel.core.builtin.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.builtin.ConfigCases;
import io.tiercel.core.builtin.file.FileExporterConfig.Format;
import io.tiercel.core.builtin.file.FileExporterConfig.Rotation;
import io.tiercel.core.config.ServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileExporterConfigTest {
  @TempDir Path dir;

  @Test
  void loadsTestdataConfig() throws Exception {
    ServiceConfig c = ConfigCases.load("file");
    assertThat(ConfigCases.config(c.exporters(), "file"))
        .isEqualTo(
            new FileExporterConfig(
                "./out/telemetry.jsonl",
                Format.JSON,
                Duration.ofSeconds(1),
                false,
                Rotation.DEFAULT));
    assertThat(ConfigCases.config(c.exporters(), "file/archive"))
        .isEqualTo(
            new FileExporterConfig(
                "/data/otlp.bin",
                Format.PROTO,
                Duration.ofSeconds(5),
                true,
                new Rotation(100, 100)));
    assertThat(ConfigCases.config(c.exporters(), "file/compressed"))
        .isEqualTo(
            new FileExporterConfig(
                "/data/otlp.zst",
                Format.PROTO,
                Duration.ofSeconds(1),
                false,
                new Rotation(10, 3, 3, true),
                "zstd"));
  }

  static Stream<Arguments> invalid() throws Exception {
    return ConfigCases.invalid("file");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, String yaml, String error) throws Exception {
    ConfigCases.assertFails(dir, name, yaml, error);
  }
}
