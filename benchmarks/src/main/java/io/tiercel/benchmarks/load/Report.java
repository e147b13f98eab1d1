package io.tiercel.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The markdown the tool prints (and that goes into docs/BENCHMARKS.md). */
final class Report {
  static final String HEADER =
      "| pass | tier | config | load | spans | spans/s | MB/s | tier CPU-s / M spans | tier peak"
          + " RSS MiB | latency p50 ms | p99 ms | baseline | baseline spans/s | baseline CPU-s / M"
          + " spans | throughput ratio | CPU ratio | in | out | exported -> sink | reconciled |";

  private Report() {}

  static String markdown(
      List<Result> results,
      String machine,
      String command,
      String date,
      String loadAfter,
      Workload data) {
    StringBuilder sb = new StringBuilder();
    sb.append("Machine: ")
        .append(machine)
        .append(" (1-minute load average at the end: ")
        .append(loadAfter)
        .append(")\n\n");
    sb.append("Command: `").append(command).append("`\n\n");
    sb.append("Date: ").append(date).append("\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Data: %d-span OTLP requests of %,d bytes on average; per-trace Kafka "
                + "records of %,d bytes (%.1f spans) on average%n%n",
            data.spansPerRequest(),
            data.averageRequestBytes(),
            data.averageRecordBytes(),
            data.spansPerRecord()));
    sb.append(HEADER).append('\n');
    sb.append("|").append(" --- |".repeat(HEADER.split("\\|").length - 1)).append('\n');
    for (Result r : results) {
      sb.append(
          row(
              Integer.toString(r.pass()),
              r.tier(),
              r.config(),
              r.load(),
              r.spans(),
              r.spansPerSecond(),
              r.megabytesPerSecond(),
              r.cpuPerMillion(),
              r.peakRssBytes() / 1048576.0,
              r.p50Micros() / 1000.0,
              r.p99Micros() / 1000.0,
              r.baseline().name(),
              r.baseline().spansPerSecond(),
              r.baseline().cpuPerMillion(),
              String.format(
                  Locale.ROOT,
                  "%,d | %,d | %,d -> %,d | %s",
                  r.in(),
                  r.out(),
                  r.exported(),
                  r.atSink(),
                  r.reconciled()
                      ? "yes"
                      : "NO" + (r.failedUnits() > 0 ? " (" + r.failedUnits() + " failed)" : ""))));
    }
    Map<String, List<Result>> groups = new LinkedHashMap<>();
    for (Result r : results) {
      groups.computeIfAbsent(r.tier() + "|" + r.config(), k -> new ArrayList<>()).add(r);
    }
    if (results.stream().mapToInt(Result::pass).max().orElse(1) > 1) {
      for (List<Result> g : groups.values()) {
        Result f = g.get(0);
        sb.append(
            row(
                "median",
                f.tier(),
                f.config(),
                f.load(),
                (long) median(g, Result::spans),
                median(g, Result::spansPerSecond),
                median(g, Result::megabytesPerSecond),
                median(g, Result::cpuPerMillion),
                median(g, r -> r.peakRssBytes() / 1048576.0),
                median(g, r -> r.p50Micros() / 1000.0),
                median(g, r -> r.p99Micros() / 1000.0),
                f.baseline().name(),
                median(g, r -> r.baseline().spansPerSecond()),
                median(g, r -> r.baseline().cpuPerMillion()),
                " | | | " + (g.stream().allMatch(Result::reconciled) ? "yes" : "NO")));
      }
    }
    steady(sb, results, groups);
    return sb.toString();
  }

  /** The steady-state table: one row per drain that had a window, medians per config. */
  private static void steady(
      StringBuilder sb, List<Result> results, Map<String, List<Result>> groups) {
    if (results.stream().noneMatch(r -> r.steady() != null)) {
      return;
    }
    sb.append(
        "\nSteady state: the window from 20 % to 90 % of the drain (spans the tier accepted); CPU"
            + " per thread group from /proc/<pid>/task (kafka poll = receiver + the processors"
            + " before the first hand-off), allocation from the threads' allocation counters, GC ="
            + " the GC threads' CPU, pauses = the collectors' stop-the-world time:\n\n");
    sb.append(STEADY_HEADER).append('\n');
    sb.append("|").append(" --- |".repeat(STEADY_HEADER.split("\\|").length - 1)).append('\n');
    for (Result r : results) {
      if (r.steady() != null) {
        sb.append(steadyRow(Integer.toString(r.pass()), r.config(), List.of(r)));
      }
    }
    if (results.stream().mapToInt(Result::pass).max().orElse(1) > 1) {
      for (List<Result> g : groups.values()) {
        List<Result> w = g.stream().filter(r -> r.steady() != null).toList();
        if (!w.isEmpty()) {
          sb.append(steadyRow("median", w.get(0).config(), w));
        }
      }
    }
  }

  static final String STEADY_HEADER =
      "| pass | config | window spans | spans/s | CPU-s / M spans | "
          + String.join(" | ", ThreadGroups.NAMES)
          + " | alloc KB / span | GC % of CPU | GC pauses % of time |";

  private static String steadyRow(String pass, String config, List<Result> g) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %,.0f | %,.0f | %.2f |",
            pass,
            config,
            median(g, r -> r.steady().spans()),
            median(g, r -> r.steady().spansPerSecond()),
            median(g, r -> r.steady().cpuPerMillion())));
    for (String n : ThreadGroups.NAMES) {
      sb.append(
          String.format(Locale.ROOT, " %.2f |", median(g, r -> r.steady().groupCpuPerMillion(n))));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            " %.2f | %.1f | %.1f |%n",
            median(g, r -> r.steady().bytesPerSpan() / 1024.0),
            median(g, r -> 100 * r.steady().gcShare()),
            median(g, r -> 100 * r.steady().pauseShare())));
    return sb.toString();
  }

  private static String row(
      String pass,
      String tier,
      String config,
      String load,
      long spans,
      double rate,
      double mbs,
      double cpu,
      double rssMib,
      double p50,
      double p99,
      String baseline,
      double baseRate,
      double baseCpu,
      String tail) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %,d | %,.0f | %.1f | %.2f | %,.0f | %s | %s | %s | "
            + "%,.0f | %.2f | %.2f | %.2f | %s |%n",
        pass,
        tier,
        config,
        load,
        spans,
        rate,
        mbs,
        cpu,
        rssMib,
        ms(p50),
        ms(p99),
        baseline,
        baseRate,
        baseCpu,
        rate / baseRate,
        cpu / baseCpu,
        tail);
  }

  private static String ms(double v) {
    return v < 0 ? "-" : String.format(Locale.ROOT, v < 10 ? "%.1f" : "%,.0f", v);
  }

  private static double median(List<Result> g, ToDoubleFunction<Result> f) {
    double[] v = g.stream().mapToDouble(f).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
