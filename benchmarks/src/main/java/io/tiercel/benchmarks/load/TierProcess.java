package io.tiercel.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A tier in its own JVM: {@code java <jvm options> -cp <this process's class path>
 * io.tiercel.core.cli.Main run --config <yaml> --set ...}, so that its CPU and memory are its own.
 * Output goes to a log file; the collector's Prometheus endpoint (forced to a free loopback port
 * with {@code --set}) is how the tool reads its counters.
 */
final class TierProcess implements AutoCloseable {
  private static final String MAIN = "io.tiercel.core.cli.Main";
  private final Process process;
  private final Path log;
  private final int metricsPort;
  private final int jmxPort;
  private @Nullable TierProbe probe;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Stops the tier if the tool exits (Ctrl-C, an error) before {@link #close()}. */
  private final Thread exitHook;

  private TierProcess(Process process, Path log, int metricsPort, int jmxPort) {
    this.process = process;
    this.log = log;
    this.metricsPort = metricsPort;
    this.jmxPort = jmxPort;
    this.exitHook = new Thread(process::destroyForcibly, "load-tier-exit-hook");
    Runtime.getRuntime().addShutdownHook(exitHook);
  }

  /**
   * Starts a tier.
   *
   * @param sets {@code key=value} overrides given to the collector's {@code --set}
   * @param env environment variables added for the child (its configs may read them with {@code
   *     ${env:...}})
   */
  static TierProcess start(
      Path config, List<String> sets, Map<String, String> env, List<String> jvmOptions, Path log)
      throws IOException {
    int metricsPort = freePort();
    int jmxPort = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(TierProbe.jvmOptions(jmxPort));
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(MAIN);
    cmd.add("run");
    cmd.add("--config");
    cmd.add(config.toString());
    List<String> all = new ArrayList<>(sets);
    all.add("service.telemetry.metrics.address=127.0.0.1:" + metricsPort);
    for (String s : all) {
      cmd.add("--set");
      cmd.add(s);
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    return new TierProcess(pb.start(), log, metricsPort, jmxPort);
  }

  /**
   * The class path for the child: under Failsafe {@code java.class.path} is only the booter jar and
   * the real one is {@code surefire.test.class.path}; run through {@code run-jmh.sh} it is the
   * benchmarks' runtime class path, which holds every module.
   */
  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  long pid() {
    return process.pid();
  }

  double cpuSeconds() {
    return ProcStat.cpuSeconds(process.pid());
  }

  /** The tier's JMX view (connected at the first call; the tier must be up). */
  TierProbe probe() throws IOException {
    if (probe == null) {
      probe = TierProbe.connect(jmxPort);
    }
    return probe;
  }

  long peakRssBytes() {
    return ProcStat.peakRssBytes(process.pid());
  }

  Path log() {
    return log;
  }

  /**
   * Waits until {@code port} on 127.0.0.1 accepts a connection; fails when the tier exits or time
   * runs out.
   */
  void awaitPort(int port, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      checkAlive();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException(
        "the tier did not open port " + port + " in " + timeout + "\n" + logTail());
  }

  /** Waits until the collector's metrics endpoint answers (the service has started). */
  void awaitMetrics(Duration timeout) throws InterruptedException {
    awaitPort(metricsPort, timeout);
  }

  /** Fails with the log's tail when the tier has exited. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the tier exited with code " + process.exitValue() + "\n" + logTail());
    }
  }

  /**
   * The sum of every sample of a counter (Prometheus text; {@code _total} suffix optional) whose
   * label set holds {@code labelPart} (e.g. {@code receiver="kafka"}, or "" for all).
   */
  double counter(String name, String labelPart) throws IOException, InterruptedException {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    String text;
    try (InputStream in = r.body()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return sum(text, name, labelPart);
  }

  static double sum(String text, String name, String labelPart) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      if (rest.startsWith("_total")) {
        rest = rest.substring(6);
      }
      String labels = "";
      if (rest.startsWith("{")) {
        int close = rest.indexOf('}');
        labels = rest.substring(1, close);
        rest = rest.substring(close + 1);
      }
      if (!rest.startsWith(" ") || !labels.contains(labelPart)) {
        continue;
      }
      total += Double.parseDouble(rest.trim().split(" ")[0]);
    }
    return total;
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "--- tail of "
          + log
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** SIGTERM (a clean shutdown), then SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (probe != null) {
      try {
        probe.close();
      } catch (IOException e) {
        // the tier goes away next
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
