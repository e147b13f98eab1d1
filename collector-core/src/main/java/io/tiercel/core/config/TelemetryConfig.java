package io.tiercel.core.config;

/**
 * {@code service.telemetry}: where the internal metrics are served and how the collector logs.
 *
 * @param metricsLevel {@code none} (no endpoint), {@code basic}, {@code normal} (default), {@code
 *     detailed}
 * @param metricsHost host of the Prometheus endpoint (default {@code localhost})
 * @param metricsPort port of the Prometheus endpoint (default 8888; 0 picks a free port)
 * @param logsLevel {@code debug}, {@code info} (default), {@code warn}, {@code error}
 * @param logsEncoding {@code console} (default) or {@code json}
 */
public record TelemetryConfig(
    String metricsLevel,
    String metricsHost,
    int metricsPort,
    String logsLevel,
    String logsEncoding) {
  public static final TelemetryConfig DEFAULT =
      new TelemetryConfig("normal", "localhost", 8888, "info", "console");

  /** True unless the level is {@code none}. */
  public boolean metricsEnabled() {
    return !"none".equals(metricsLevel);
  }
}
