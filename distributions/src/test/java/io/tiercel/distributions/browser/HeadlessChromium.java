package io.tiercel.distributions.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium driven over the Chrome DevTools protocol (a WebSocket to the page
 * target): navigate, evaluate JavaScript, take a screenshot. {@link #start} fails, saying so, when
 * no {@code chromium} is installed ({@code bin/test} installs it with {@code apt-get install
 * chromium chromium-driver}).
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> BINARIES =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** The Chromium binary, or an AssertionError naming how to install it. */
  static Path binary() {
    String env = System.getenv("CHROMIUM");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return Path.of(env);
    }
    for (String b : BINARIES) {
      if (Files.isExecutable(Path.of(b))) {
        return Path.of(b);
      }
    }
    throw new AssertionError(
        "Chromium is not installed (looked for $CHROMIUM and "
            + BINARIES
            + "): the status page test needs a real browser; bin/test installs Debian's chromium"
            + " and chromium-driver (apt-get install -y chromium chromium-driver)");
  }

  /**
   * Starts Chromium headless with a fresh profile in {@code profile}, at {@code width x height}.
   */
  static HeadlessChromium start(Path profile, int width, int height) throws Exception {
    Path bin = binary();
    Process p =
        new ProcessBuilder(
                bin.toString(),
                "--headless=new",
                "--no-sandbox", // runs as root in CI
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--remote-allow-origins=*",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling("chromium.log").toFile())
            .start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "chromium exited with "
                + p.exitValue()
                + ": "
                + Files.readString(profile.resolveSibling("chromium.log")));
      }
      if (System.nanoTime() > until) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not open its DevTools port within 30 s");
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
    HttpClient http = HttpClient.newHttpClient();
    String wsUrl = null;
    for (int i = 0; i < 50 && wsUrl == null; i++) {
      String list =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (JsonNode t : JSON.readTree(list)) {
        if ("page".equals(t.path("type").asText())) {
          wsUrl = t.path("webSocketDebuggerUrl").asText();
        }
      }
      if (wsUrl == null) {
        Thread.sleep(100);
      }
    }
    if (wsUrl == null) {
      p.destroyForcibly();
      throw new AssertionError("chromium shows no page target");
    }
    HeadlessChromium[] self = new HeadlessChromium[1];
    StringBuilder partial = new StringBuilder();
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(wsUrl),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      String msg = partial.toString();
                      partial.setLength(0);
                      self[0].onMessage(msg);
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    self[0] = new HeadlessChromium(p, ws);
    return self[0];
  }

  private void onMessage(String msg) {
    try {
      JsonNode n = JSON.readTree(msg);
      if (n.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
        if (f != null) {
          if (n.has("error")) {
            f.completeExceptionally(new IOException("DevTools error: " + n.get("error")));
          } else {
            f.complete(n.path("result"));
          }
        }
      }
    } catch (IOException e) {
      pending.values().forEach(f -> f.completeExceptionally(e));
    }
  }

  /** Sends one DevTools command and waits for its result. */
  JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode cmd = JSON.createObjectNode();
    cmd.put("id", id);
    cmd.put("method", method);
    cmd.set("params", JSON.valueToTree(params));
    socket.sendText(JSON.writeValueAsString(cmd), true).get(10, TimeUnit.SECONDS);
    return f.get(30, TimeUnit.SECONDS);
  }

  /** Loads {@code url} and waits until the document finished loading. */
  void navigate(String url) throws Exception {
    call("Page.enable", Map.of());
    call("Page.navigate", Map.of("url", url));
    waitFor(
        "document.readyState === 'complete' && location.href === " + JSON.writeValueAsString(url),
        Duration.ofSeconds(20));
  }

  /** The value of a JavaScript expression (JSON-serializable), awaiting a promise. */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError("page script failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Waits until {@code condition} (a JavaScript expression) is true. */
  void waitFor(String condition, Duration timeout) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    while (!evaluate("!!(" + condition + ")").asBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not true within " + timeout + ": " + condition);
      }
      Thread.sleep(100);
    }
  }

  /** Saves a PNG of the whole page. */
  void screenshot(Path png) throws Exception {
    JsonNode r =
        call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
  }

  @Override
  public void close() throws Exception {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the browser goes anyway
    }
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
