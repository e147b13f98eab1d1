package io.tiercel.core.telemetry;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Serves a {@link MetricsRegistry} as Prometheus text at {@code /metrics} (the collector's {@code
 * :8888/metrics}). Lifecycle as {@link HttpEndpoint}: nothing is bound until {@link #start}.
 */
public final class MetricsEndpoint {
  /** The path served. */
  public static final String PATH = "/metrics";

  private final MetricsRegistry metrics;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final HttpEndpoint http;

  /**
   * @param host the interface to bind ({@code ""} for all)
   * @param port the port, 0 for a free one
   */
  public MetricsEndpoint(MetricsRegistry metrics, String host, int port) {
    this.metrics = metrics;
    this.http = new HttpEndpoint("tiercel-metrics", host, port, Map.of(PATH, this::handle));
  }

  /** Binds and serves. */
  public void start() throws IOException {
    http.start();
  }

  /** The bound port, -1 when not started. */
  public int port() {
    return http.port();
  }

  /** Stops serving; idempotent. */
  public void stop() {
    http.stop();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestURI().getPath().equals(PATH)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
      writer.write(buf, metrics.prometheus().scrape());
      ex.getResponseHeaders().set("Content-Type", writer.getContentType());
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, buf.size());
      try (OutputStream out = ex.getResponseBody()) {
        buf.writeTo(out);
      }
    }
  }
}
