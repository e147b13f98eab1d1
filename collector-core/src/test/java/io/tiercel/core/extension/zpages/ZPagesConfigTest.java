package io.tiercel.core.extension.zpages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.builtin.ConfigCases;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.ServiceConfig;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZPagesConfigTest {
  @TempDir Path dir;

  @Test
  void loadsTestdataConfig() throws Exception {
    ServiceConfig c = ConfigCases.load("zpages");
    assertThat(ConfigCases.config(c.extensions(), "zpages")).isEqualTo(ZPagesConfig.DEFAULT);
    assertThat(ConfigCases.config(c.extensions(), "zpages/1"))
        .isEqualTo(new ZPagesConfig("localhost:56888", new ZPagesConfig.Expvar(false)));
    assertThat(ConfigCases.config(c.extensions(), "zpages/all"))
        .isEqualTo(new ZPagesConfig(":55679", new ZPagesConfig.Expvar(false)));
  }

  static Stream<Arguments> invalid() throws Exception {
    return ConfigCases.invalid("zpages");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, String yaml, String error) throws Exception {
    ConfigCases.assertFails(dir, name, yaml, error);
  }

  @Test
  void defaultsAreTheCollectors() {
    ZPagesExtensionFactory f = new ZPagesExtensionFactory();
    assertThat(f.type()).isEqualTo("zpages");
    assertThat(f.createDefaultConfig().endpoint()).isEqualTo("localhost:55679");
    assertThat(f.createDefaultConfig().expvar().enabled()).isFalse();
  }

  @Test
  void rejectsAnEndpointWithoutPortNamingTheKey() {
    assertThatThrownBy(() -> new ZPagesConfig("localhost", null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("\"localhost\" must be host:port")
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("endpoint");
  }
}
