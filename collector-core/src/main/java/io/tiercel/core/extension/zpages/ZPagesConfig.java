package io.tiercel.core.extension.zpages;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.telemetry.HttpEndpoint;

/**
 * Config of the {@code zpages} extension, with the collector's keys.
 *
 * @param endpoint {@code host:port} to listen on (default {@code localhost:55679}; {@code :port}
 *     for every interface, port 0 picks a free one)
 * @param expvar the collector's Go {@code expvar} handler switch: accepted so that collector
 *     configs load, but only switched off
 */
public record ZPagesConfig(String endpoint, Expvar expvar) {
  /** The collector's default. */
  public static final ZPagesConfig DEFAULT = new ZPagesConfig("localhost:55679", Expvar.OFF);

  /**
   * The collector's {@code expvar} block. {@code expvar} publishes a Go runtime's variables; a JVM
   * has none, so {@code enabled: true} is refused rather than ignored.
   *
   * @param enabled must be false
   */
  public record Expvar(boolean enabled) {
    static final Expvar OFF = new Expvar(false);

    public Expvar {
      if (enabled) {
        throw new InvalidValueException(
            "enabled",
            "true is not supported: expvar publishes a Go runtime's variables; Tiercel's numbers"
                + " are at /api/status");
      }
    }
  }

  public ZPagesConfig {
    if (endpoint == null || endpoint.isBlank()) {
      throw new InvalidValueException(
          "endpoint", "must not be empty (the zpages extension needs an endpoint)");
    }
    try {
      HttpEndpoint.parseEndpoint(endpoint);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException("endpoint", e.getMessage());
    }
    expvar = expvar == null ? Expvar.OFF : expvar;
  }
}
