package io.tiercel.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class in its own process, on the test's classpath, with stdout and stderr appended to
 * one log file: for tests that {@link #kill() kill -9} a collector (or a receiving JVM) mid-stream
 * and start it again.
 *
 * <p>Under Surefire/Failsafe {@code java.class.path} is only the booter jar, so the classpath comes
 * from {@code surefire.test.class.path} when it is set.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The test's classpath (Surefire's, when running under it). */
  public static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM ({@code jvmArgs} first, e.g. {@code
   * -Xmx256m}); its output is appended to {@code log} (created when missing).
   */
  public static ChildJvm start(
      List<String> jvmArgs, String mainClass, List<String> args, Path log) {
    Objects.requireNonNull(log, "log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(Objects.requireNonNull(mainClass, "mainClass"));
    cmd.addAll(args);
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new ChildJvm(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  /**
   * Starts a collector: {@code io.tiercel.core.cli.Main run --config <config>} with a 256 MiB heap.
   */
  public static ChildJvm collector(Path config, Path log) {
    return start(
        List.of("-Xmx256m"),
        "io.tiercel.core.cli.Main",
        List.of("run", "--config", config.toString()),
        log);
  }

  /** The process. */
  public Process process() {
    return process;
  }

  /** True while the process runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The log file (stdout and stderr). */
  public Path log() {
    return log;
  }

  /** The log so far ("" when there is none yet). */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** SIGKILL (no shutdown hook, no drain) and waits up to 30 s for the process to be gone. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /**
   * SIGTERM (the collector's graceful shutdown) and waits up to {@code timeout}; returns the exit
   * code.
   */
  public int stop(Duration timeout) {
    process.destroy();
    awaitExit(timeout);
    return process.exitValue();
  }

  private void awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "the child JVM did not exit within " + timeout + "; log: " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the child JVM", e);
    }
  }

  /** Kills the process if it still runs (for {@code finally} blocks and try-with-resources). */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
