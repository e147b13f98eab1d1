package io.tiercel.core.extension.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.InvalidValueException;
import org.junit.jupiter.api.Test;

class HealthCheckConfigTest {
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
