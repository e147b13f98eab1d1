package io.tiercel.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@code tiercel run} as a child JVM (the test classpath), scrapes /metrics and the health
 * check over real sockets, then sends SIGTERM ({@link Process#destroy()}) and expects a clean
 * shutdown: the shutdown hook stops every component and the JVM exits with 143 (128 + SIGTERM), the
 * status of any Java server that stops on a signal; "Shutdown complete." in the log says that no
 * component failed to stop.
 */
@Tag("integration")
class TiercelRunIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(int port, String path) {
    try {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(
      String what, java.util.function.Supplier<T> probe, Predicate<T> ok, Process p)
      throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    T last = null;
    while (System.nanoTime() < end) {
      last = probe.get();
      if (last != null && ok.test(last)) {
        return last;
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "tiercel exited with " + p.exitValue() + " while waiting for " + what);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what + "; last: " + last);
  }

  private static int port(String log, String regex) {
    Matcher m = Pattern.compile(regex).matcher(log);
    assertThat(m.find()).as("log line /" + regex + "/ in:\n" + log).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * {@code tiercel run --config config} in a child JVM, stdout and stderr to files in {@code dir}.
   */
  private static Process launch(Path dir, Path config) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "--config",
                config.toString(),
                "--shutdown-timeout",
                "10s"))
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
  }

  @Test
  void runsServesMetricsAndHealthAndShutsDownCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("spans.json");
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        receivers:
          generator:
            rate: 500
            batch_size: 10
            metrics: {enabled: false}
            logs: {enabled: false}
        exporters:
          debug: {}
          file:
            path: %s
        extensions:
          health_check:
            endpoint: 127.0.0.1:0
        service:
          extensions: [health_check]
          telemetry:
            metrics:
              address: 127.0.0.1:0
          pipelines:
            traces:
              receivers: [generator]
              exporters: [debug, file]
        """
            .formatted(out));
    Path stderr = dir.resolve("stderr.txt");
    Process p = launch(dir, config);
    try {
      String started =
          await(
              "\"Everything is ready\"",
              () -> read(stderr),
              s -> s.contains("Everything is ready"),
              p);
      // port 0 everywhere (no race for free ports with other tests): the log says where they listen
      int metricsPort = port(started, "Serving internal metrics on 127\\.0\\.0\\.1:(\\d+)/metrics");
      int healthPort = port(started, "Health check listening on \\S+ \\(port (\\d+)\\)");

      HttpResponse<String> health =
          await("health 200", () -> get(healthPort, "/"), r -> r.statusCode() == 200, p);
      assertThat(health.body()).startsWith("{\"status\":\"Server available\"");

      String metrics =
          await(
                  "spans accepted",
                  () -> get(metricsPort, "/metrics"),
                  r ->
                      r.statusCode() == 200
                          && value(r.body(), "otelcol_exporter_sent_spans_total{exporter=\"file\"}")
                              > 0,
                  p)
              .body();
      assertThat(
              value(
                  metrics,
                  "otelcol_receiver_accepted_spans_total{receiver=\"generator\",transport=\"\"}"))
          .isPositive();
      assertThat(value(metrics, "otelcol_exporter_sent_spans_total{exporter=\"debug\"}"))
          .isPositive();
      assertThat(
              value(
                  metrics,
                  "otelcol_receiver_refused_spans_total{receiver=\"generator\",transport=\"\"}"))
          .isZero();
    } finally {
      p.destroy(); // SIGTERM
    }
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited within the shutdown deadline").isTrue();
    String log = read(stderr);
    assertThat(p.exitValue()).as(log).isEqualTo(143);
    assertThat(log)
        .contains("Shutdown requested")
        .contains("Shutdown complete.")
        .doesNotContain("Error:");
    assertThat(read(out)).contains("\"resourceSpans\"");
  }

  private static final String RELOAD_CONFIG =
      """
      receivers:
        generator:
          rate: 500
          batch_size: 10
          metrics: {enabled: false}
          logs: {enabled: false}
      exporters:
        file:
          path: %s
      service:
        telemetry:
          metrics:
            address: 127.0.0.1:0
        pipelines:
          traces:
            receivers: [generator]
            exporters: [file]
      """;

  private static void hangUp(Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.toHandle().pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * SIGHUP ({@code kill -HUP}) makes a running {@code tiercel run} read its config again: the file
   * exporter's new path takes the data from then on while the generator keeps running; an invalid
   * config is logged with its errors at their place and the running graph stays; both reloads are
   * counted. The process survives both signals and stops cleanly on SIGTERM.
   */
  @Test
  void sighupReloadsTheConfigAndAnInvalidOneKeepsTheRunningGraph(@TempDir Path dir)
      throws Exception {
    Path first = dir.resolve("first.json");
    Path second = dir.resolve("second.json");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, RELOAD_CONFIG.formatted(first));
    Path stderr = dir.resolve("stderr.txt");
    Process p = launch(dir, config);
    try {
      String started =
          await(
              "\"Everything is ready\"",
              () -> read(stderr),
              s -> s.contains("Everything is ready"),
              p);
      int metricsPort = port(started, "Serving internal metrics on 127\\.0\\.0\\.1:(\\d+)/metrics");
      await("spans in the first file", () -> size(first), n -> n > 0, p);

      Files.writeString(config, RELOAD_CONFIG.formatted(second));
      hangUp(p);
      await("\"Reload complete\"", () -> read(stderr), s -> s.contains("Reload complete"), p);
      assertThat(read(stderr))
          .contains("Reload complete: 1 component(s) kept running, 1 started anew.");
      long firstSize = size(first);
      await("spans in the second file", () -> size(second), n -> n > 0, p);
      Thread.sleep(300);
      assertThat(size(first)).as("the replaced exporter writes no more").isEqualTo(firstSize);

      Files.writeString(
          config, RELOAD_CONFIG.formatted(first).replace("path:", "compression: lz5\n    path:"));
      hangUp(p);
      String failed =
          await("\"Reload failed\"", () -> read(stderr), s -> s.contains("Reload failed"), p);
      assertThat(failed)
          .contains("Reload failed: invalid configuration; the running configuration stays")
          .contains("exporters.file.compression");
      long secondSize = size(second);
      await("spans still in the second file", () -> size(second), n -> n > secondSize, p);
      String metrics = get(metricsPort, "/metrics").body();
      assertThat(value(metrics, "otelcol_service_config_reloads_total{result=\"success\"}"))
          .isEqualTo(1);
      assertThat(value(metrics, "otelcol_service_config_reloads_total{result=\"failure\"}"))
          .isEqualTo(1);
      assertThat(p.isAlive()).isTrue();
    } finally {
      p.destroy(); // SIGTERM
    }
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited within the shutdown deadline").isTrue();
    String log = read(stderr);
    assertThat(p.exitValue()).as(log).isEqualTo(143);
    assertThat(log).contains("Shutdown complete.");
  }

  /**
   * Runs {@code config} until the file exporter wrote something (or "Everything is ready"), then
   * SIGTERM.
   */
  private static String runUntilExported(Path dir, String logs) throws Exception {
    Path out = dir.resolve("spans.json");
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        receivers:
          generator:
            rate: 200
            batch_size: 10
            metrics: {enabled: false}
            logs: {enabled: false}
        exporters:
          file:
            path: %s
        extensions:
          health_check:
            endpoint: 127.0.0.1:0
        service:
          extensions: [health_check]
          telemetry:
            metrics: {level: none}
            logs: %s
          pipelines:
            traces:
              receivers: [generator]
              exporters: [file]
        """
            .formatted(out, logs));
    Path stderr = dir.resolve("stderr.txt");
    Process p = launch(dir, config);
    try {
      await("spans in " + out, () -> read(out), s -> s.contains("\"resourceSpans\""), p);
    } finally {
      p.destroy(); // SIGTERM
    }
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited within the shutdown deadline").isTrue();
    assertThat(p.exitValue()).as(read(stderr)).isEqualTo(143);
    return read(stderr);
  }

  @Test
  @SuppressWarnings("unchecked")
  void logsEncodingJsonWritesOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
    String log = runUntilExported(dir, "{encoding: json, level: info}");
    List<String> lines = log.lines().toList();
    assertThat(lines).isNotEmpty();
    List<java.util.Map<String, Object>> events = new java.util.ArrayList<>();
    for (String line : lines) {
      assertThat(line).as("a JSON object per line").startsWith("{\"level\":\"").endsWith("}");
      events.add((java.util.Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(line));
    }
    assertThat(events)
        .allSatisfy(
            e ->
                assertThat(e)
                    .containsKeys("level", "ts", "logger", "msg", "thread")
                    .extractingByKey("ts")
                    .asString()
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    assertThat(events)
        .extracting(e -> (String) e.get("msg"))
        .anyMatch(m -> m.startsWith("Everything is ready. Begin running and processing data."))
        .contains("Shutdown complete.");
    assertThat(events)
        .filteredOn(e -> "health_check".equals(e.get("otelcol.component.id")))
        .isNotEmpty()
        .allSatisfy(
            e ->
                assertThat(e)
                    .containsEntry("otelcol.component.kind", "extension")
                    .containsEntry("logger", "io.tiercel.extension.health_check"));
  }

  @Test
  void logsLevelWarnLeavesOutTheInfoLines(@TempDir Path dir) throws Exception {
    String log = runUntilExported(dir, "{encoding: json, level: warn}");
    // nothing is wrong in this run, so nothing at warn or above: the lifecycle lines (info) are
    // filtered
    assertThat(log).doesNotContain("\"level\":\"info\"").doesNotContain("Everything is ready");
    assertThat(log.lines())
        .allSatisfy(l -> assertThat(l).startsWith("{\"level\":\"").endsWith("}"));
  }
}
