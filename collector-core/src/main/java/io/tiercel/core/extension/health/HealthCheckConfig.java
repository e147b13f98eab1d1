package io.tiercel.core.extension.health;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.telemetry.HttpEndpoint;

/**
 * Config of the {@code health_check} extension.
 *
 * @param endpoint {@code host:port} to listen on (default {@code localhost:13133}; port 0 picks a
 *     free one)
 * @param path the path that answers (default {@code /})
 */
public record HealthCheckConfig(String endpoint, String path) {
  public static final HealthCheckConfig DEFAULT = new HealthCheckConfig("localhost:13133", "/");

  public HealthCheckConfig {
    if (endpoint == null || endpoint.isBlank()) {
      throw new InvalidValueException("endpoint", "must not be empty");
    }
    try {
      HttpEndpoint.parseEndpoint(endpoint);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("endpoint", e.getMessage());
    }
    if (path == null || !path.startsWith("/")) {
      throw new InvalidValueException("path", "\"" + path + "\" must start with /");
    }
  }
}
