package io.tiercel.core.config;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds {@code service.telemetry} ({@link TelemetrySection}) into a {@link TelemetryConfig}: the
 * older {@code metrics.address} or the collector's {@code metrics.readers} (one {@code pull}
 * Prometheus reader, any number of {@code periodic} OTLP readers). A periodic reader's {@code
 * exporter.otlp} becomes the config of this build's own {@code otlp_grpc} or {@code otlp_http}
 * exporter (found even when the distribution does not offer it as a pipeline component), bound and
 * validated like a component at the reader's path.
 */
final class TelemetryLoader {
  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(60_000);
  static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(30_000);

  private final ComponentRegistry registry;

  TelemetryLoader(ComponentRegistry registry) {
    this.registry = registry;
  }

  TelemetryConfig load(Object value, List<ConfigError> errors) {
    String path = "service.telemetry";
    TelemetrySection t =
        ConfigBinder.bind(TelemetrySection.class, TelemetrySection.DEFAULT, value, path, errors);
    if (t == null) {
      return TelemetryConfig.DEFAULT;
    }
    TelemetrySection.MetricsSection m =
        t.metrics() != null ? t.metrics() : TelemetrySection.DEFAULT.metrics();
    TelemetrySection.LogsSection l = t.logs() != null ? t.logs() : TelemetrySection.DEFAULT.logs();
    String host = TelemetryConfig.DEFAULT.metricsHost();
    int port = TelemetryConfig.DEFAULT.metricsPort();
    String mpath = path + ".metrics";
    List<TelemetrySection.Reader> readers = m.readers() == null ? List.of() : m.readers();
    List<TelemetryConfig.PeriodicReader> periodic = new ArrayList<>();
    boolean pull = true;
    if (m.address() != null && !readers.isEmpty()) {
      errors.add(new ConfigError(mpath, "set either address or readers, not both"));
    } else if (m.address() != null) {
      int colon = m.address().lastIndexOf(':');
      Integer p = null;
      if (colon >= 0) {
        try {
          p = Integer.valueOf(m.address().substring(colon + 1));
        } catch (NumberFormatException ignored) {
          // reported below
        }
      }
      if (p == null || p < 0 || p > 65535) {
        errors.add(new ConfigError(mpath + ".address", "\"" + m.address() + "\" is not host:port"));
      } else {
        String h = m.address().substring(0, colon);
        host = h.isEmpty() ? "0.0.0.0" : h;
        port = p;
      }
    } else if (!readers.isEmpty()) {
      int pulls = 0;
      for (int i = 0; i < readers.size(); i++) {
        TelemetrySection.Reader r = readers.get(i);
        String rpath = mpath + ".readers[" + i + "]";
        if (r.pull() != null) {
          if (++pulls > 1) {
            errors.add(
                new ConfigError(
                    rpath, "only one pull reader is supported (one Prometheus endpoint)"));
            continue;
          }
          TelemetrySection.Prometheus prom = r.pull().exporter().prometheus();
          host = prom.host() != null ? prom.host() : host;
          port = prom.port() != null ? prom.port() : port;
        } else {
          TelemetryConfig.PeriodicReader pr =
              periodic(r.periodic(), rpath + ".periodic", i, errors);
          if (pr != null) {
            periodic.add(pr);
          }
        }
      }
      pull = pulls > 0;
    }
    return new TelemetryConfig(
        lower(m.level()), host, port, lower(l.level()), lower(l.encoding()), periodic, pull);
  }

  private TelemetryConfig.PeriodicReader periodic(
      TelemetrySection.Periodic p, String path, int index, List<ConfigError> errors) {
    TelemetrySection.Otlp o = p.exporter().otlp();
    String opath = path + ".exporter.otlp";
    String type = o.protocol().equals("grpc") ? "otlp_grpc" : "otlp_http";
    Factory<?> f = registry.findAnywhere(Kind.EXPORTER, type);
    if (f == null) {
      errors.add(
          new ConfigError(
              opath + ".protocol",
              "\"" + o.protocol() + "\" needs the " + type + " exporter, which this build lacks"));
      return null;
    }
    Map<String, Object> yaml = new LinkedHashMap<>();
    if (type.equals("otlp_grpc")) {
      yaml.put("endpoint", o.endpoint());
    } else {
      String path2 = "";
      try {
        String p2 = URI.create(o.endpoint().strip()).getPath();
        path2 = p2 == null ? "" : p2;
      } catch (IllegalArgumentException e) {
        // the exporter's own check names the problem
      }
      // as the SDK does: a URL with a path is the full metrics URL, a bare one gets /v1/metrics
      yaml.put(
          path2.isEmpty() || path2.equals("/") ? "endpoint" : "metrics_endpoint", o.endpoint());
      yaml.put("encoding", o.protocol().equals("http/json") ? "json" : "proto");
    }
    Map<String, Object> headers = new LinkedHashMap<>();
    for (TelemetrySection.Header h : o.headers()) {
      headers.put(h.name(), h.value().value());
    }
    if (!headers.isEmpty()) {
      yaml.put("headers", headers);
    }
    if (o.compression() != null) {
      yaml.put("compression", o.compression());
    }
    Duration timeout = p.timeout() != null ? Duration.ofMillis(p.timeout()) : DEFAULT_TIMEOUT;
    yaml.put(
        "timeout",
        (o.timeout() != null ? Duration.ofMillis(o.timeout()) : timeout).toMillis() + "ms");
    Map<String, Object> tls = new LinkedHashMap<>();
    if (Boolean.TRUE.equals(o.insecure())) {
      tls.put("insecure", true);
    }
    putIf(tls, "ca_file", o.certificate());
    putIf(tls, "cert_file", o.clientCertificate());
    putIf(tls, "key_file", o.clientKey());
    if (!tls.isEmpty()) {
      yaml.put("tls", tls);
    }
    List<ConfigError> bindErrors = new ArrayList<>();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Record config =
        ConfigBinder.bind(
            (Class) f.configClass(), f.createDefaultConfig(), yaml, opath, bindErrors);
    errors.addAll(bindErrors);
    if (config == null) {
      return null;
    }
    Duration interval = p.interval() != null ? Duration.ofMillis(p.interval()) : DEFAULT_INTERVAL;
    return new TelemetryConfig.PeriodicReader(
        path,
        interval,
        timeout,
        new ComponentConfig(new ComponentId(type, "service_telemetry_" + index), f, config),
        p);
  }

  private static void putIf(Map<String, Object> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
