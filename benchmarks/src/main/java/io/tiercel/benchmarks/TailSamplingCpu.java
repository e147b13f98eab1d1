package io.tiercel.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * CPU time per span of the {@link TailSamplingBenchmark} workloads, beside their wall time: on a
 * shared machine whose load average is far above its core count, a thread waits for a core most of
 * the time, so JMH's wall time per span mostly measures the queue; the CPU the process spent per
 * span does not. Runs the benchmark's own methods on its own state (and {@code
 * OttlBenchmark.filterTwoConditions} as a yardstick measured in the same run), warms each up, then
 * reports the median of the passes.
 *
 * <p>Process CPU ({@code OperatingSystemMXBean.getProcessCpuTime}) counts every thread: the caller,
 * the processor's decision thread, GC and JIT; thread CPU counts the calling thread only.
 *
 * <p>Usage: {@code TailSamplingCpu [passes, 5] [seconds per pass, 1]}.
 */
public final class TailSamplingCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private TailSamplingCpu() {}

  public static void main(String[] args) throws Exception {
    int passes = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
    OttlBenchmark ottl = new OttlBenchmark();
    ottl.setup();
    TailSamplingBenchmark b = new TailSamplingBenchmark();
    b.setup();
    System.out.println(
        "| workload | process CPU ns/span | caller thread CPU ns/span | wall ns/span | passes |");
    System.out.println("| --- | --- | --- | --- | --- |");
    try {
      System.out.println(
          measure(
              "OttlBenchmark.filterTwoConditions (yardstick)",
              OttlBenchmark.SPANS,
              passes,
              seconds,
              ottl::filterTwoConditions));
      // a fresh processor per pass over the pool, as the JMH single shot; its setup and shutdown
      // are not timed
      System.out.println(
          measure(
              "ingest",
              TailSamplingBenchmark.SPANS,
              passes,
              seconds,
              meter -> {
                TailSamplingBenchmark.Fill fill = new TailSamplingBenchmark.Fill();
                fill.setup();
                meter.start();
                for (int i = 0; i < TailSamplingBenchmark.POOL; i++) {
                  b.ingest(fill);
                }
                meter.stop(TailSamplingBenchmark.POOL);
                fill.tearDown();
              }));
      System.out.println(
          measure(
              "ingestAndDecide", TailSamplingBenchmark.SPANS, passes, seconds, b::ingestAndDecide));
      System.out.println(
          measure(
              "ingestAndDecideOnTicker",
              TailSamplingBenchmark.SPANS,
              passes,
              seconds,
              b::ingestAndDecideOnTicker));
      System.out.println(
          measure("policiesOnly", TailSamplingBenchmark.SPANS, passes, seconds, b::policiesOnly));
    } finally {
      b.tearDown();
    }
  }

  /** Accumulates CPU and wall time over the timed parts of a pass. */
  static final class Meter {
    private long thread;
    private long process;
    private long wall;
    private long ops;
    private long thread0;
    private long process0;
    private long wall0;

    void start() {
      thread0 = THREADS.getCurrentThreadCpuTime();
      process0 = OS.getProcessCpuTime();
      wall0 = System.nanoTime();
    }

    void stop(long doneOps) {
      wall += System.nanoTime() - wall0;
      process += OS.getProcessCpuTime() - process0;
      thread += THREADS.getCurrentThreadCpuTime() - thread0;
      ops += doneOps;
    }
  }

  /**
   * One timed run of a workload: calls {@link Meter#start} and {@link Meter#stop} around what it
   * times.
   */
  interface Run {
    void run(Meter meter) throws Exception;
  }

  private static String measure(
      String name, int spansPerOp, int passes, double seconds, Callable<?> op) throws Exception {
    return measure(
        name,
        spansPerOp,
        passes,
        seconds,
        meter -> {
          meter.start();
          for (int i = 0; i < 64; i++) {
            op.call();
          }
          meter.stop(64);
        });
  }

  /**
   * Repeats {@code run} for 3 warm-up passes, then {@code passes} measured ones of at least {@code
   * seconds} of timed work each; returns the table row of the medians per span.
   */
  private static String measure(String name, int spansPerOp, int passes, double seconds, Run run)
      throws Exception {
    List<double[]> results = new ArrayList<>();
    for (int pass = -3; pass < passes; pass++) {
      Meter m = new Meter();
      do {
        run.run(m);
      } while (m.wall < seconds * 1e9);
      double spans = (double) m.ops * spansPerOp;
      if (pass >= 0) {
        results.add(new double[] {m.process / spans, m.thread / spans, m.wall / spans});
      }
    }
    return String.format(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %.0f | %d |",
        name,
        median(results, 0),
        median(results, 1),
        median(results, 2),
        passes);
  }

  private static double median(List<double[]> rs, int column) {
    double[] v = rs.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
