package io.tiercel.core.extension.health;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.telemetry.HttpEndpoint;
import java.time.Duration;

/**
 * Config of the {@code health_check} extension.
 *
 * @param endpoint {@code host:port} to listen on (default {@code localhost:13133}; port 0 picks a
 *     free one)
 * @param path the path that answers (default {@code /})
 * @param checkCollectorPipeline the collector's deprecated exporter-failure check: accepted so that
 *     collector configs load, but only switched off
 */
public record HealthCheckConfig(
    String endpoint, String path, CheckCollectorPipeline checkCollectorPipeline) {
  public static final HealthCheckConfig DEFAULT = new HealthCheckConfig("localhost:13133", "/");

  /**
   * The collector's {@code check_collector_pipeline} block, with its defaults. Tiercel does not
   * check exporter failures, so {@code enabled: true} is refused rather than ignored.
   *
   * @param enabled must be false
   * @param interval the collector's check interval (default {@code 5m}); must be positive
   * @param exporterFailureThreshold the collector's failure count (default 5); must be positive
   */
  public record CheckCollectorPipeline(
      boolean enabled, Duration interval, int exporterFailureThreshold) {
    static final CheckCollectorPipeline OFF =
        new CheckCollectorPipeline(false, Duration.ofMinutes(5), 5);

    public CheckCollectorPipeline {
      if (enabled) {
        throw new InvalidValueException(
            "enabled",
            "true is not supported: Tiercel does not check exporter failures (the collector has"
                + " deprecated this check)");
      }
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new InvalidValueException("interval", "must be positive, got " + interval);
      }
      if (exporterFailureThreshold <= 0) {
        throw new InvalidValueException(
            "exporter_failure_threshold", "must be positive, got " + exporterFailureThreshold);
      }
    }
  }

  /** A config without the (switched off) pipeline check. */
  public HealthCheckConfig(String endpoint, String path) {
    this(endpoint, path, CheckCollectorPipeline.OFF);
  }

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
    checkCollectorPipeline =
        checkCollectorPipeline == null ? CheckCollectorPipeline.OFF : checkCollectorPipeline;
  }
}
