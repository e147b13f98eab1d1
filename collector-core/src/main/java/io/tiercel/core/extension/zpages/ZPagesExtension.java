package io.tiercel.core.extension.zpages;

import com.sun.net.httpserver.HttpExchange;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.telemetry.HttpEndpoint;
import io.tiercel.core.util.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves the collector's zPages under {@code /debug/}, Tiercel's live status page at {@code /} and
 * its JSON at {@code /api/status}. A sampler thread reads the internal metrics once a second into a
 * {@link History}; a request only assembles what was sampled, so polling the page does not scrape
 * the metrics again. The page is one HTML file in the jar with its script and styles inline: no
 * external script, font or stylesheet (the responses' Content-Security-Policy forbids them).
 */
final class ZPagesExtension implements Extension {
  static final String STATUS_PATH = "/api/status";
  private static final String PAGE = "status.html";
  private static final String CSP =
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
          + " connect-src 'self'; img-src 'self' data:";

  private final Settings settings;
  private final ZPagesConfig config;
  private final HttpEndpoint http;
  private final History history = new History();
  private final RecentLogs logs;
  private final Object lock = new Object();
  private ScheduledExecutorService sampler; // guarded by lock
  private volatile StatusDocument document;
  private volatile DebugPages debug;

  ZPagesExtension(Settings settings, ZPagesConfig config) {
    this.settings = settings;
    this.config = config;
    this.logs = new RecentLogs("tiercel-zpages-" + settings.id());
    Map.Entry<String, Integer> hp = HttpEndpoint.parseEndpoint(config.endpoint());
    this.http =
        new HttpEndpoint(
            "tiercel-zpages",
            hp.getKey(),
            hp.getValue(),
            Map.of("/", this::page, STATUS_PATH, this::status, DebugPages.PREFIX, this::debugPage));
  }

  @Override
  public void start(Host host) throws IOException {
    Instant started = settings.clock().instant();
    document =
        new StatusDocument(settings.build(), started, host.service(), host.status(), history, logs);
    debug =
        new DebugPages(
            settings.build(), started, host.service(), host.status(), settings.featureGates());
    logs.attach();
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(settings.id(), "sampler"));
    synchronized (lock) {
      sampler = s;
    }
    s.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    http.start();
    settings
        .logger()
        .info(
            "zPages listening on {} (port {}): live status at /, JSON at {}, zPages at"
                + " /debug/servicez",
            config.endpoint(),
            http.port(),
            STATUS_PATH);
  }

  /** The bound port, -1 when not started (tests bind port 0). */
  int port() {
    return http.port();
  }

  @Override
  public void shutdown(Deadline deadline) {
    http.stop();
    ScheduledExecutorService s;
    synchronized (lock) {
      s = sampler;
      sampler = null;
    }
    if (s != null) {
      s.shutdownNow();
    }
    logs.detach();
  }

  private void sample() {
    try {
      history.add(Sample.take(settings.metrics().prometheus(), System.nanoTime()));
    } catch (RuntimeException e) { // a bad metric must not stop the sampler for good
      settings.logger().debug("zpages sample failed", e);
    }
  }

  private void page(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (!path.equals("/") && !path.equals("/index.html")) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      if (!allowGet(ex)) {
        return;
      }
      byte[] body;
      try (InputStream in = ZPagesExtension.class.getResourceAsStream(PAGE)) {
        if (in == null) {
          throw new IOException(PAGE + " is missing from the jar");
        }
        body = in.readAllBytes();
      }
      send(ex, "text/html; charset=utf-8", body);
    }
  }

  private void status(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestURI().getPath().equals(STATUS_PATH)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      if (!allowGet(ex)) {
        return;
      }
      String json = Json.write(document.build(settings.clock().instant())) + "\n";
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      send(ex, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
  }

  private void debugPage(HttpExchange ex) throws IOException {
    try (ex) {
      String name = ex.getRequestURI().getPath().substring(DebugPages.PREFIX.length());
      String html = debug.page(name, query(ex.getRequestURI().getRawQuery()));
      if (html == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      if (!allowGet(ex)) {
        return;
      }
      send(ex, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static boolean allowGet(HttpExchange ex) throws IOException {
    String m = ex.getRequestMethod();
    if (m.equals("GET") || m.equals("HEAD")) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", "GET, HEAD");
    ex.sendResponseHeaders(405, -1);
    return false;
  }

  private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Content-Security-Policy", CSP);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null) {
      return q;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      String v = eq < 0 ? "" : kv.substring(eq + 1);
      q.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return q;
  }
}
