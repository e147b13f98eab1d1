package io.tiercel.benchmarks.load;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What the tier's JVM says about itself over a loopback JMX connection (opened by the options of
 * {@link #jvmOptions}): bytes allocated per thread ({@code com.sun.management.ThreadMXBean}) and
 * the collectors' pause times; together with {@code /proc} (CPU per thread group) one {@link
 * Snapshot}. Two snapshots give a {@link Steady} window. Read only at the window's ends, so the
 * connection's own threads cost the tier next to nothing (they count in the {@code telemetry}
 * group).
 */
final class TierProbe implements AutoCloseable {
  private final JMXConnector connector;
  private final com.sun.management.ThreadMXBean threads;
  private final List<GarbageCollectorMXBean> collectors;

  private TierProbe(JMXConnector connector) throws IOException {
    this.connector = connector;
    MBeanServerConnection c = connector.getMBeanServerConnection();
    this.threads =
        ManagementFactory.newPlatformMXBeanProxy(
            c, ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);
    this.collectors = ManagementFactory.getPlatformMXBeans(c, GarbageCollectorMXBean.class);
  }

  /** The tier JVM's options that open a JMX connector on {@code port} of 127.0.0.1, no auth. */
  static List<String> jvmOptions(int port) {
    return List.of(
        "-Dcom.sun.management.jmxremote.port=" + port,
        "-Dcom.sun.management.jmxremote.rmi.port=" + port,
        "-Dcom.sun.management.jmxremote.host=127.0.0.1",
        "-Djava.rmi.server.hostname=127.0.0.1",
        "-Dcom.sun.management.jmxremote.authenticate=false",
        "-Dcom.sun.management.jmxremote.ssl=false");
  }

  /** Connects to the tier's JMX connector on {@code port}. */
  static TierProbe connect(int port) throws IOException {
    JMXServiceURL url =
        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    return new TierProbe(JMXConnectorFactory.connect(url));
  }

  /** One look at the tier: its spans accepted so far, CPU by thread group, allocation, GC. */
  record Snapshot(
      long nanos,
      double accepted,
      double cpu,
      Map<String, Double> groupCpu,
      Map<Long, Long> allocatedByThread,
      Map<Long, String> groupByThread,
      long gcMillis,
      long gcCount) {}

  Snapshot snapshot(TierProcess tier, double accepted) {
    long now = System.nanoTime();
    Map<String, Double> groups = ThreadGroups.cpuSeconds(tier.pid());
    double cpu = ProcStat.cpuSeconds(tier.pid());
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    Map<Long, Long> alloc = new HashMap<>();
    Map<Long, String> group = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0 && infos[i] != null) {
        alloc.put(ids[i], bytes[i]);
        group.put(ids[i], ThreadGroups.of(infos[i].getThreadName()));
      }
    }
    long gcMillis = 0;
    long gcCount = 0;
    for (GarbageCollectorMXBean b : collectors) {
      gcMillis += Math.max(0, b.getCollectionTime());
      gcCount += Math.max(0, b.getCollectionCount());
    }
    return new Snapshot(now, accepted, cpu, groups, alloc, group, gcMillis, gcCount);
  }

  /**
   * The steady-state window between two snapshots.
   *
   * @param spans spans the tier accepted in the window
   * @param groupCpu CPU seconds per thread group ({@link ThreadGroups#NAMES})
   * @param allocated bytes allocated by the Java threads alive at the window's end (a thread that
   *     ended inside the window is not counted)
   * @param allocatedByGroup the same per thread group
   * @param gcPauseSeconds the collectors' stop-the-world time ({@code GarbageCollectorMXBean})
   */
  record Steady(
      long spans,
      double seconds,
      double cpu,
      Map<String, Double> groupCpu,
      long allocated,
      Map<String, Long> allocatedByGroup,
      double gcPauseSeconds,
      long collections) {
    static Steady between(Snapshot a, Snapshot b) {
      Map<String, Double> g = new LinkedHashMap<>();
      for (String n : ThreadGroups.NAMES) {
        g.put(n, b.groupCpu().getOrDefault(n, 0.0) - a.groupCpu().getOrDefault(n, 0.0));
      }
      // "other" is total minus named: it may dip below zero by a tick when a named thread ended
      g.put("other", Math.max(0, g.get("other")));
      long total = 0;
      Map<String, Long> byGroup = new LinkedHashMap<>();
      ThreadGroups.NAMES.forEach(n -> byGroup.put(n, 0L));
      for (Map.Entry<Long, Long> e : b.allocatedByThread().entrySet()) {
        long d = e.getValue() - a.allocatedByThread().getOrDefault(e.getKey(), 0L);
        total += d;
        byGroup.merge(b.groupByThread().get(e.getKey()), d, Long::sum);
      }
      return new Steady(
          (long) (b.accepted() - a.accepted()),
          (b.nanos() - a.nanos()) / 1e9,
          b.cpu() - a.cpu(),
          g,
          total,
          byGroup,
          (b.gcMillis() - a.gcMillis()) / 1000.0,
          b.gcCount() - a.gcCount());
    }

    /** One line for the tool's log. */
    String summary() {
      return String.format(
          Locale.ROOT,
          "steady state (20-90 %%): %,d spans in %.1f s = %,.0f spans/s, %.2f CPU-s/M spans, %.2f"
              + " KB allocated per span, GC %.1f %% of the CPU; CPU-s/M by thread group: %s",
          spans,
          seconds,
          spansPerSecond(),
          cpuPerMillion(),
          bytesPerSpan() / 1024,
          100 * gcShare(),
          ThreadGroups.NAMES.stream()
              .map(n -> String.format(Locale.ROOT, "%s %.2f", n, groupCpuPerMillion(n)))
              .collect(Collectors.joining(", ")));
    }

    double cpuPerMillion() {
      return cpu / (spans / 1e6);
    }

    double groupCpuPerMillion(String group) {
      return groupCpu.getOrDefault(group, 0.0) / (spans / 1e6);
    }

    double spansPerSecond() {
      return spans / seconds;
    }

    double bytesPerSpan() {
      return (double) allocated / spans;
    }

    /** The GC threads' share of the tier's CPU. */
    double gcShare() {
      return groupCpu.getOrDefault("GC", 0.0) / cpu;
    }

    /** The stop-the-world pauses' share of the window's wall time. */
    double pauseShare() {
      return gcPauseSeconds / seconds;
    }
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
