package io.tiercel.core.extension.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.builtin.ConfigCases;
import io.tiercel.core.config.ServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileStorageConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsAreTheCollectorsWithTiercelsDirectory() {
    assertThat(new FileStorageExtensionFactory().createDefaultConfig())
        .isEqualTo(
            new FileStorageConfig(
                "/var/lib/tiercel/file_storage",
                Duration.ofSeconds(1),
                false,
                false,
                "0750",
                Map.of()));
  }

  @Test
  void loadsTestdataConfig() throws Exception {
    ServiceConfig c = ConfigCases.load("file_storage");
    assertThat(ConfigCases.config(c.extensions(), "file_storage"))
        .isEqualTo(FileStorageConfig.DEFAULT);
    assertThat(ConfigCases.config(c.extensions(), "file_storage/queue"))
        .isEqualTo(
            new FileStorageConfig(
                "/data/tiercel/queue",
                Duration.ofSeconds(10),
                true,
                true,
                "0700",
                Map.of("on_start", true, "directory", "/tmp", "max_transaction_size", 65536)));
  }

  static Stream<Arguments> invalid() throws Exception {
    return ConfigCases.invalid("file_storage");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, String yaml, String error) throws Exception {
    ConfigCases.assertFails(dir, name, yaml, error);
  }
}
