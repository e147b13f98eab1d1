package io.tiercel.core.config;

import java.util.List;

/**
 * The YAML shape of {@code service.telemetry}, bound with {@link ConfigBinder} and turned into
 * {@link TelemetryConfig} by {@link ConfigLoader}.
 */
record TelemetrySection(MetricsSection metrics, LogsSection logs) {
  static final TelemetrySection DEFAULT =
      new TelemetrySection(
          new MetricsSection(MetricsLevel.NORMAL, null, null),
          new LogsSection(LogLevel.INFO, LogEncoding.CONSOLE));

  enum MetricsLevel {
    NONE,
    BASIC,
    NORMAL,
    DETAILED
  }

  enum LogLevel {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  enum LogEncoding {
    CONSOLE,
    JSON
  }

  /** {@code address} is the older form, {@code readers} the newer one. */
  record MetricsSection(MetricsLevel level, String address, List<Reader> readers) {}

  record LogsSection(LogLevel level, LogEncoding encoding) {}

  record Reader(Pull pull) {
    Reader {
      if (pull == null) {
        throw new IllegalArgumentException(
            "only pull readers are supported: set pull.exporter.prometheus");
      }
    }
  }

  record Pull(PullExporter exporter) {
    Pull {
      if (exporter == null) {
        throw new InvalidValueException("exporter", "must be set: exporter.prometheus");
      }
    }
  }

  record PullExporter(Prometheus prometheus) {
    PullExporter {
      if (prometheus == null) {
        throw new InvalidValueException(
            "prometheus", "must be set: only the prometheus pull exporter is supported");
      }
    }
  }

  record Prometheus(String host, Integer port) {
    Prometheus {
      if (port != null && (port < 0 || port > 65535)) {
        throw new InvalidValueException("port", "must be between 0 and 65535, got " + port);
      }
    }
  }
}
