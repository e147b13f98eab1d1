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

  /** One of {@code pull} (the Prometheus endpoint) or {@code periodic} (an OTLP push). */
  record Reader(Pull pull, Periodic periodic) {
    Reader {
      if ((pull == null) == (periodic == null)) {
        throw new IllegalArgumentException(
            "set exactly one of pull (exporter.prometheus) or periodic (exporter.otlp)");
      }
    }
  }

  /**
   * A periodic reader, in the SDK configuration schema's units: {@code interval} and {@code
   * timeout} in milliseconds (defaults 60000 and 30000).
   */
  record Periodic(Integer interval, Integer timeout, PushExporter exporter) {
    Periodic {
      if (interval != null && interval <= 0) {
        throw new InvalidValueException(
            "interval", "must be positive (milliseconds), got " + interval);
      }
      if (timeout != null && timeout <= 0) {
        throw new InvalidValueException(
            "timeout", "must be positive (milliseconds), got " + timeout);
      }
      if (exporter == null) {
        throw new InvalidValueException("exporter", "must be set: exporter.otlp");
      }
    }
  }

  record PushExporter(Otlp otlp) {
    PushExporter {
      if (otlp == null) {
        throw new InvalidValueException(
            "otlp", "must be set: only the otlp push exporter is supported");
      }
    }
  }

  /** The OTLP metric exporter of a periodic reader, keys as in the SDK configuration schema. */
  record Otlp(
      String protocol,
      String endpoint,
      List<Header> headers,
      String compression,
      Integer timeout,
      Boolean insecure,
      String certificate,
      String clientKey,
      String clientCertificate,
      String temporalityPreference) {
    static final List<String> PROTOCOLS = List.of("grpc", "http/protobuf", "http/json");

    Otlp {
      if (protocol == null) {
        throw new InvalidValueException(
            "protocol", "must be set: one of " + String.join(", ", PROTOCOLS));
      }
      if (!PROTOCOLS.contains(protocol)) {
        throw new InvalidValueException(
            "protocol", "\"" + protocol + "\" is not one of " + String.join(", ", PROTOCOLS));
      }
      if (endpoint == null || endpoint.isBlank()) {
        throw new InvalidValueException("endpoint", "must be set");
      }
      if (timeout != null && timeout <= 0) {
        throw new InvalidValueException(
            "timeout", "must be positive (milliseconds), got " + timeout);
      }
      if (temporalityPreference != null && !temporalityPreference.equals("cumulative")) {
        throw new InvalidValueException(
            "temporality_preference",
            "\""
                + temporalityPreference
                + "\" is not supported: the internal metrics are cumulative");
      }
      headers = headers == null ? List.of() : List.copyOf(headers);
    }
  }

  /** A request header of the OTLP exporter; the value is a secret (never printed). */
  record Header(String name, Secret value) {
    Header {
      if (name == null || name.isBlank()) {
        throw new InvalidValueException("name", "must be set");
      }
      if (value == null) {
        throw new InvalidValueException("value", "must be set");
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
