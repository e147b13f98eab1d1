package io.tiercel.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tier's threads in groups, by name: Linux keeps the first 15 characters of a thread's name in
 * {@code /proc/<pid>/task/<tid>/comm}, so every rule matches on a prefix of at most 15 characters
 * and works on full Java names (JMX) the same way.
 */
final class ThreadGroups {
  /** The groups in report order; {@code other} holds what no rule names and threads that ended. */
  static final List<String> NAMES =
      List.of(
          "kafka poll",
          "tail_sampling",
          "batch",
          "exporter",
          "kafka client",
          "GC",
          "JIT",
          "telemetry",
          "other");

  private ThreadGroups() {}

  /**
   * The group of a thread name. {@code kafka poll} is the receiver's poll thread, which also runs
   * the processors in front of the first thread hand-off (memory_limiter, filter, transform and
   * tail_sampling's intake); {@code tail_sampling} its decision thread; {@code batch} the batch
   * thread; {@code exporter} the exporters' own threads (gRPC, the exporter helper, the file
   * writer); {@code kafka client} the Kafka client's threads; {@code telemetry} the metrics
   * endpoint and the JMX connection the load tool reads.
   */
  static String of(String name) {
    if (name.startsWith("tiercel-kafka-p")) {
      return "kafka poll";
    }
    if (name.startsWith("tiercel-tail_sa")) {
      return "tail_sampling";
    }
    if (name.startsWith("tiercel-batch-")) {
      return "batch";
    }
    if (name.startsWith("grpc-")
        || name.startsWith("tiercel-otlp")
        || name.startsWith("tiercel-file")
        || name.startsWith("CompletableFutu")) {
      return "exporter";
    }
    if (name.startsWith("kafka-") || name.startsWith("tiercel-kafka-d")) {
      return "kafka client";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
      return "GC";
    }
    if (name.startsWith("C1 CompilerThre")
        || name.startsWith("C2 CompilerThre")
        || name.startsWith("Sweeper thread")) {
      return "JIT";
    }
    if (name.startsWith("tiercel-metrics")
        || name.startsWith("HTTP-Dispatcher")
        || name.startsWith("RMI ")
        || name.startsWith("JMX ")) {
      return "telemetry";
    }
    return "other";
  }

  /**
   * CPU seconds (utime + stime) of every live thread of {@code pid}, summed by group; {@code other}
   * is the process's total minus the named groups, so threads that ended count there.
   */
  static Map<String, Double> cpuSeconds(long pid) {
    Map<String, Double> m = new LinkedHashMap<>();
    NAMES.forEach(n -> m.put(n, 0.0));
    double total = ProcStat.cpuSeconds(pid);
    double named = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        String comm;
        double cpu;
        try {
          comm = Files.readString(t.resolve("comm")).strip();
          cpu = ProcStat.cpuSecondsOfStat(Files.readString(t.resolve("stat")));
        } catch (IOException e) {
          continue; // the thread ended while we looked
        }
        String g = of(comm);
        if (!g.equals("other")) {
          m.merge(g, cpu, Double::sum);
          named += cpu;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc/" + pid + "/task: " + e, e);
    }
    m.put("other", Math.max(0, total - named));
    return m;
  }
}
