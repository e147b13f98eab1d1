package io.tiercel.core.telemetry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The collector's process metrics, read at scrape time: {@code otelcol_process_uptime} (seconds
 * since the service was created), {@code otelcol_process_runtime_heap_alloc_bytes} (JVM heap in
 * use), {@code otelcol_process_runtime_total_sys_memory_bytes} (heap + non-heap committed), {@code
 * otelcol_process_memory_rss} (resident set size, Linux only) and {@code
 * otelcol_process_cpu_seconds}.
 */
public final class ProcessMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMetrics() {}

  /**
   * Registers the process gauges on {@code metrics}; {@code startNanos} is {@link
   * System#nanoTime()} at start.
   */
  public static void register(MetricsRegistry metrics, long startNanos) {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    metrics.callbackCounter(
        "otelcol_process_uptime",
        "Uptime of the process [seconds]",
        () -> (System.nanoTime() - startNanos) / 1e9);
    metrics.callbackGauge(
        "otelcol_process_runtime_heap_alloc_bytes",
        "Bytes of allocated heap objects",
        () -> mem.getHeapMemoryUsage().getUsed());
    metrics.callbackGauge(
        "otelcol_process_runtime_total_sys_memory_bytes",
        "Heap and non-heap memory committed by the JVM [bytes]",
        () -> mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted());
    if (Files.isReadable(STATUS)) {
      metrics.callbackGauge(
          "otelcol_process_memory_rss",
          "Total physical memory (resident set size) [bytes]",
          ProcessMetrics::rssBytes);
    }
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      metrics.callbackCounter(
          "otelcol_process_cpu_seconds",
          "Total CPU user and system time [seconds]",
          () -> Math.max(0, os.getProcessCpuTime()) / 1e9);
    }
  }

  /** VmRSS from /proc/self/status in bytes, NaN when unreadable. */
  static double rssBytes() {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String v = line.substring(6).strip();
          int sp = v.indexOf(' ');
          return Long.parseLong(sp < 0 ? v : v.substring(0, sp)) * 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
