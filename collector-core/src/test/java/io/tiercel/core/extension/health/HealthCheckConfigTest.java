package io.tiercel.core.extension.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.builtin.ConfigCases;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.extension.health.HealthCheckConfig.CheckCollectorPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthCheckConfigTest {
  @TempDir Path dir;

  @Test
  void loadsTestdataConfig() throws Exception {
    ServiceConfig c = ConfigCases.load("health_check");
    assertThat(ConfigCases.config(c.extensions(), "health_check"))
        .isEqualTo(HealthCheckConfig.DEFAULT);
    assertThat(ConfigCases.config(c.extensions(), "health_check/all"))
        .isEqualTo(new HealthCheckConfig("0.0.0.0:13133", "/health/status"));
    assertThat(ConfigCases.config(c.extensions(), "health_check/collector"))
        .isEqualTo(
            new HealthCheckConfig(
                "localhost:13134",
                "/",
                new CheckCollectorPipeline(false, Duration.ofMinutes(5), 5)));
  }

  static Stream<Arguments> invalid() throws Exception {
    return ConfigCases.invalid("health_check");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidConfigFailsWithExactMessage(String name, String yaml, String error) throws Exception {
    ConfigCases.assertFails(dir, name, yaml, error);
  }

  @Test
  void defaultsAreTheCollectors() {
    HealthCheckConfig d = new HealthCheckExtensionFactory().createDefaultConfig();
    assertThat(d.endpoint()).isEqualTo("localhost:13133");
    assertThat(d.path()).isEqualTo("/");
    assertThat(new HealthCheckExtensionFactory().type()).isEqualTo("health_check");
  }

  @Test
  void rejectsAnEndpointWithoutPort() {
    assertThatThrownBy(() -> new HealthCheckConfig("localhost", "/"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("\"localhost\" must be host:port")
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("endpoint");
  }

  @Test
  void rejectsABadPortAndARelativePath() {
    assertThatThrownBy(() -> new HealthCheckConfig("0.0.0.0:99999", "/"))
        .hasMessage("port 99999 in \"0.0.0.0:99999\" is not in 0..65535");
    assertThatThrownBy(() -> new HealthCheckConfig(":13133", "health"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("\"health\" must start with /")
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("path");
  }
}
