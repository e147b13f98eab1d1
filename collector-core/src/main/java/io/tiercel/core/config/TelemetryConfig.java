package io.tiercel.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code service.telemetry}: where the internal metrics are served or sent and how the collector
 * logs.
 *
 * @param metricsLevel {@code none} (no endpoint, nothing sent), {@code basic}, {@code normal}
 *     (default), {@code detailed}
 * @param metricsHost host of the Prometheus endpoint (default {@code localhost})
 * @param metricsPort port of the Prometheus endpoint (default 8888; 0 picks a free port)
 * @param logsLevel {@code debug}, {@code info} (default), {@code warn}, {@code error}
 * @param logsEncoding {@code console} (default) or {@code json}
 * @param periodicReaders the {@code periodic} readers: OTLP exporters the internal metrics are
 *     pushed to
 * @param pullReader false when {@code readers} lists only periodic readers (no Prometheus endpoint)
 */
public record TelemetryConfig(
    String metricsLevel,
    String metricsHost,
    int metricsPort,
    String logsLevel,
    String logsEncoding,
    List<PeriodicReader> periodicReaders,
    boolean pullReader) {
  public static final TelemetryConfig DEFAULT =
      new TelemetryConfig("normal", "localhost", 8888, "info", "console");

  public TelemetryConfig {
    periodicReaders = List.copyOf(periodicReaders);
  }

  /** A config with the Prometheus endpoint only. */
  public TelemetryConfig(
      String metricsLevel,
      String metricsHost,
      int metricsPort,
      String logsLevel,
      String logsEncoding) {
    this(metricsLevel, metricsHost, metricsPort, logsLevel, logsEncoding, List.of(), true);
  }

  /** True unless the level is {@code none}. */
  public boolean metricsEnabled() {
    return !"none".equals(metricsLevel);
  }

  /** True when the Prometheus endpoint is served (metrics enabled and a pull reader). */
  public boolean pullEnabled() {
    return metricsEnabled() && pullReader;
  }

  /**
   * A {@code periodic} reader: every {@code interval} the internal metrics are collected and handed
   * to {@code exporter} (an {@code otlp_grpc} or {@code otlp_http} exporter bound from the reader's
   * {@code exporter.otlp} keys), waiting at most {@code timeout}; a last collection is sent at
   * shutdown.
   *
   * @param path the reader's YAML path, for messages
   * @param source the reader as written, for the printed config (secrets redacted there)
   */
  public record PeriodicReader(
      String path, Duration interval, Duration timeout, ComponentConfig exporter, Record source) {
    public PeriodicReader {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(exporter, "exporter");
      Objects.requireNonNull(source, "source");
    }
  }
}
