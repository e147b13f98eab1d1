package io.tiercel.core.telemetry;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.tiercel.core.util.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP endpoint for the collector's own use (Prometheus {@code /metrics}, health): the
 * JDK's {@link HttpServer} with one named daemon thread and a bounded queue. When the queue is full
 * the dispatcher thread answers the request itself, so the backlog cannot grow without limit.
 *
 * <p>Created unbound; {@link #start} binds and starts serving, {@link #stop} is idempotent and safe
 * without start.
 */
public final class HttpEndpoint {
  private static final int QUEUE = 16;

  private final String name;
  private final String host;
  private final int port;
  private final Map<String, HttpHandler> handlers;
  private final Object lock = new Object();
  private HttpServer server; // guarded by lock
  private ThreadPoolExecutor executor; // guarded by lock

  /**
   * @param name thread-name prefix, e.g. {@code tiercel-metrics}
   * @param host the interface to bind ({@code ""} or {@code 0.0.0.0} for all)
   * @param port the port; 0 picks a free one (see {@link #port()})
   * @param handlers path prefix to handler
   */
  public HttpEndpoint(String name, String host, int port, Map<String, HttpHandler> handlers) {
    this.name = Objects.requireNonNull(name, "name");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.handlers = Map.copyOf(handlers);
  }

  /**
   * Parses an endpoint {@code host:port}, {@code :port} or {@code [v6]:port}.
   *
   * @return the host ({@code ""} for all interfaces) and the port
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Map.Entry<String, Integer> parseEndpoint(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("\"" + endpoint + "\" must be host:port");
    }
    String h = endpoint.substring(0, colon);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    int p;
    try {
      p = Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + endpoint + "\" has no valid port");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException(
          "port " + p + " in \"" + endpoint + "\" is not in 0..65535");
    }
    return Map.entry(h, p);
  }

  /** Binds and starts serving. */
  public void start() throws IOException {
    synchronized (lock) {
      if (server != null) {
        return;
      }
      InetSocketAddress addr =
          host.isEmpty() || host.equals("0.0.0.0")
              ? new InetSocketAddress(port)
              : new InetSocketAddress(host, port);
      HttpServer s;
      try {
        s = HttpServer.create(addr, 16);
      } catch (IOException e) {
        throw new IOException(
            "cannot listen on " + (host.isEmpty() ? "" : host) + ":" + port + ": " + e.getMessage(),
            e);
      }
      ThreadPoolExecutor ex =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(QUEUE),
              DaemonThreads.numbered(name, ""),
              new ThreadPoolExecutor.CallerRunsPolicy());
      handlers.forEach(s::createContext);
      s.setExecutor(ex);
      s.start();
      server = s;
      executor = ex;
    }
  }

  /** The bound port (the real one when 0 was asked for); -1 when not started. */
  public int port() {
    synchronized (lock) {
      return server == null ? -1 : server.getAddress().getPort();
    }
  }

  /** Stops serving (waits up to one second for exchanges in progress). Idempotent. */
  public void stop() {
    HttpServer s;
    ThreadPoolExecutor ex;
    synchronized (lock) {
      s = server;
      ex = executor;
      server = null;
      executor = null;
    }
    if (s != null) {
      s.stop(0);
      ex.shutdownNow();
    }
  }
}
