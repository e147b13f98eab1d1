package io.tiercel.core.extension.health;

import com.sun.net.httpserver.HttpExchange;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.telemetry.HttpEndpoint;
import io.tiercel.core.util.JsonText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Answers {@code GET <path>} with 200 and {@code {"status":"Server
 * available","upSince":...,"uptime":...}} while {@link StatusRegistry#allUp()}, else 503 with
 * {@code "Server not available"} and the components that are not up, their status and error. Reads
 * the registry from {@link Host#status()} at start.
 */
final class HealthCheckExtension implements Extension {
  private final Settings settings;
  private final HealthCheckConfig config;
  private final HttpEndpoint http;
  private volatile StatusRegistry status;
  private volatile Instant upSince;

  HealthCheckExtension(Settings settings, HealthCheckConfig config) {
    this.settings = settings;
    this.config = config;
    Map.Entry<String, Integer> hp = HttpEndpoint.parseEndpoint(config.endpoint());
    this.http =
        new HttpEndpoint(
            "tiercel-health", hp.getKey(), hp.getValue(), Map.of(config.path(), this::handle));
  }

  @Override
  public void start(Host host) throws IOException {
    status = host.status();
    upSince = settings.clock().instant();
    http.start();
    settings
        .logger()
        .info(
            "Health check listening on {} (port {}) at {}",
            config.endpoint(),
            http.port(),
            config.path());
  }

  /** The bound port, -1 when not started (tests bind port 0). */
  int port() {
    return http.port();
  }

  @Override
  public void shutdown(Deadline deadline) {
    http.stop();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestURI().getPath().equals(config.path())) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      StatusRegistry reg = status;
      boolean up = reg != null && reg.allUp();
      StringBuilder json =
          new StringBuilder(128)
              .append("{\"status\":\"")
              .append(up ? "Server available" : "Server not available")
              .append('"');
      Instant since = upSince;
      if (since != null) {
        Duration uptime = Duration.between(since, settings.clock().instant());
        json.append(",\"upSince\":\"")
            .append(since)
            .append("\",\"uptime\":\"")
            .append(String.format(Locale.ROOT, "%.3fs", uptime.toMillis() / 1000.0))
            .append('"');
      }
      if (!up && reg != null) {
        json.append(",\"components\":{");
        boolean first = true;
        for (StatusRegistry.Entry e : reg.snapshot().values()) {
          if (e.status().up()) {
            continue;
          }
          json.append(first ? "" : ",");
          first = false;
          JsonText.quote(json, e.component()).append(":{\"status\":");
          JsonText.quote(json, e.status().name().toLowerCase(Locale.ROOT));
          if (e.error() != null) {
            json.append(",\"error\":");
            JsonText.quote(json, e.error());
          }
          json.append('}');
        }
        json.append('}');
      }
      json.append("}\n");
      byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(up ? 200 : 503, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
