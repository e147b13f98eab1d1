package io.tiercel.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a process's CPU went between two snapshots: per Java thread group (thread names with their
 * numbers collapsed, e.g. {@code grpc-default-worker-ELG-#-#}) from {@link ThreadMXBean}, and the
 * JVM's own threads (JIT compilers, GC) from {@code /proc/self/task} where Linux provides it. A
 * pass that is not warm shows up as compiler time; a tool's CPU figure "without JIT" subtracts it.
 */
final class CpuBreakdown {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

  private final Map<Long, Long> javaNanos;
  private final Map<Long, String> javaNames;
  private final Map<String, Long> vmNanos;

  private CpuBreakdown(
      Map<Long, Long> javaNanos, Map<Long, String> javaNames, Map<String, Long> vmNanos) {
    this.javaNanos = javaNanos;
    this.javaNames = javaNames;
    this.vmNanos = vmNanos;
  }

  static CpuBreakdown snapshot() {
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo ti : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (ti == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(ti.getThreadId());
      if (cpu >= 0) {
        nanos.put(ti.getThreadId(), cpu);
        names.put(ti.getThreadId(), ti.getThreadName());
      }
    }
    return new CpuBreakdown(nanos, names, vmThreads());
  }

  /**
   * CPU of the JVM's compiler and GC threads by kind ({@code jit}, {@code gc}), from /proc; empty
   * elsewhere.
   */
  private static Map<String, Long> vmThreads() {
    Map<String, Long> out = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (Stream<Path> s = Files.list(tasks)) {
      for (Path t : s.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String kind =
              comm.contains("CompilerThre")
                  ? "jit"
                  : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "gc" : null;
          if (kind == null) {
            continue;
          }
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
          out.merge(kind + "/" + t.getFileName(), ticks * TICK_NANOS, Long::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /**
   * Seconds of CPU per group since {@code before}, largest first; {@code jit} and {@code gc} for
   * the VM's own.
   */
  Map<String, Double> since(CpuBreakdown before) {
    Map<String, Double> groups = new HashMap<>();
    javaNanos.forEach(
        (id, n) -> {
          long d = n - before.javaNanos.getOrDefault(id, 0L);
          if (d > 0) {
            groups.merge(javaNames.get(id).replaceAll("\\d+", "#"), d / 1e9, Double::sum);
          }
        });
    vmNanos.forEach(
        (k, n) -> {
          long d = n - before.vmNanos.getOrDefault(k, 0L);
          if (d > 0) {
            groups.merge(k.substring(0, k.indexOf('/')), d / 1e9, Double::sum);
          }
        });
    Map<String, Double> sorted = new LinkedHashMap<>();
    groups.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /**
   * One line: the groups above 1% of {@code total} seconds, as seconds per million {@code spans}.
   */
  static String format(Map<String, Double> groups, double total, long spans) {
    StringBuilder sb = new StringBuilder();
    double m = spans / 1e6;
    for (var e : groups.entrySet()) {
      if (e.getValue() >= 0.01 * total) {
        sb.append(
            String.format(
                Locale.ROOT, "%s%s %.2f", sb.isEmpty() ? "" : ", ", e.getKey(), e.getValue() / m));
      }
    }
    return sb.toString();
  }
}
