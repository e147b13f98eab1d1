package io.tiercel.benchmarks.load;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * Issue 15's fleet test 2: the cost of a processing instance as the group grows. For each count of
 * instances, one topic is pre-filled and that many processing tier processes drain it in one
 * consumer group; each instance's CPU and accepted spans are read over the window in which the
 * group accepted 20 % to 90 % of the spans (start-up, JIT warm-up and the tail left out). The
 * instances join the group on the empty topic and the fill starts once the group is stable, so
 * every instance runs through the whole window. The claim is per-instance cost (CPU-s per million
 * spans), not wall-clock scaling: on a machine with few cores the instances share them.
 */
final class Scaling {
  private static final Duration GROUP_STABLE = Duration.ofSeconds(120);

  private Scaling() {}

  /** One instance of one drain. */
  record Row(
      String config,
      int instances,
      int instance,
      long windowSpans,
      double windowCpu,
      long drainSpans,
      double drainCpu,
      boolean reconciled) {
    double cpuPerMillion() {
      return windowSpans == 0 ? Double.NaN : windowCpu / windowSpans * 1e6;
    }
  }

  /** Runs a drain with 1..n instances for each count in {@code counts}; prints and returns rows. */
  static List<Row> run(
      Phases phases,
      LoadTool.Kafka kafka,
      LoadTool.Settings s,
      String config,
      Path yaml,
      List<Integer> counts,
      PrintStream out)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int n : counts) {
      String topic = "load_scaling_" + config.replaceAll("[^A-Za-z0-9_]", "_") + "_" + n;
      String group = "tiercel-load-" + topic;
      kafka.createTopic(topic, s.partitions());
      try (OtlpSink sink = new OtlpSink(Pacer::nowMicros)) {
        List<TierProcess> tiers = new ArrayList<>();
        try {
          for (int i = 1; i <= n; i++) {
            tiers.add(phases.startProcessing(n, "scaling-" + config + "-" + i, yaml, topic, sink));
          }
          awaitStable(kafka.bootstrap, group, n, tiers);
          List<TierSample> begin = samples(tiers);
          out.printf(
              Locale.ROOT,
              "%n[%d instance(s), %s] group stable; pre-filling %,d spans%n",
              n,
              config,
              s.prefill());
          long spans = phases.prefill(topic).ackedSpans();
          rows.addAll(measure(config, n, tiers, sink, spans, begin, yaml, s.drainLimit()));
        } finally {
          for (TierProcess t : tiers) {
            t.close();
          }
        }
      } finally {
        kafka.deleteTopic(topic);
      }
    }
    return rows;
  }

  private static List<Row> measure(
      String config,
      int n,
      List<TierProcess> tiers,
      OtlpSink sink,
      long spans,
      List<TierSample> begin,
      Path yaml,
      Duration limit)
      throws Exception {
    boolean toSink = Phases.exportsToSink(yaml);
    List<TierSample> from = null;
    List<TierSample> to = null;
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      List<TierSample> now = samples(tiers);
      double accepted = now.stream().mapToDouble(TierSample::accepted).sum();
      double exported = now.stream().mapToDouble(TierSample::exported).sum();
      if (from == null && accepted >= spans * 0.2) {
        from = now;
      } else if (from != null && to == null && accepted >= spans * 0.9) {
        to = now;
      }
      boolean done = accepted >= spans && (!toSink || sink.spans() >= exported);
      if (done || System.nanoTime() > deadline) {
        if (to == null) {
          to = now;
        }
        if (from == null) {
          from = begin;
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          rows.add(
              new Row(
                  config,
                  n,
                  i + 1,
                  (long) (to.get(i).accepted() - from.get(i).accepted()),
                  to.get(i).cpu() - from.get(i).cpu(),
                  (long) now.get(i).accepted(),
                  now.get(i).cpu() - begin.get(i).cpu(),
                  done));
        }
        return rows;
      }
      Thread.sleep(TierSample.INTERVAL_MILLIS);
    }
  }

  private static List<TierSample> samples(List<TierProcess> tiers) throws InterruptedException {
    List<TierSample> out = new ArrayList<>();
    for (TierProcess t : tiers) {
      out.add(TierSample.of(t));
    }
    return out;
  }

  /** Waits until the group is stable with {@code n} members that each own partitions. */
  private static void awaitStable(String bootstrap, String group, int n, List<TierProcess> tiers)
      throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    long deadline = System.nanoTime() + GROUP_STABLE.toNanos();
    try (Admin admin = Admin.create(p)) {
      while (true) {
        for (TierProcess t : tiers) {
          t.checkAlive();
        }
        try {
          ConsumerGroupDescription d =
              admin
                  .describeConsumerGroups(List.of(group))
                  .all()
                  .get(10, TimeUnit.SECONDS)
                  .get(group);
          if (d.groupState() == GroupState.STABLE
              && d.members().size() == n
              && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
            return;
          }
        } catch (ExecutionException e) {
          // the group does not exist yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the group " + group + " of " + n + " instances is not stable after " + GROUP_STABLE);
        }
        Thread.sleep(200);
      }
    }
  }

  /** The markdown table of the rows, with the median per instance count and its ratio to one. */
  static String markdown(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| config | instances | instance | spans in window | CPU-s in window | CPU-s / M spans |"
            + " spans in whole drain | CPU-s whole drain (start-up included) |\n");
    b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %,d | %.2f | %.2f | %,d | %.2f |%n",
              r.config(),
              r.instances(),
              r.instance(),
              r.windowSpans(),
              r.windowCpu(),
              r.cpuPerMillion(),
              r.drainSpans(),
              r.drainCpu()));
    }
    b.append("\n| config | instances | median CPU-s / M spans per instance | vs 1 instance |\n");
    b.append("| --- | ---: | ---: | ---: |\n");
    Map<String, Double> one = new java.util.HashMap<>();
    rows.stream()
        .map(r -> r.config() + "|" + r.instances())
        .distinct()
        .forEach(
            key -> {
              String config = key.substring(0, key.indexOf('|'));
              int n = Integer.parseInt(key.substring(key.indexOf('|') + 1));
              double median =
                  median(
                      rows.stream()
                          .filter(r -> r.config().equals(config) && r.instances() == n)
                          .mapToDouble(Row::cpuPerMillion)
                          .sorted()
                          .toArray());
              if (n == 1) {
                one.put(config, median);
              }
              Double base = one.get(config);
              b.append(
                  String.format(
                      Locale.ROOT,
                      "| %s | %d | %.2f | %s |%n",
                      config,
                      n,
                      median,
                      base == null ? "-" : String.format(Locale.ROOT, "%.2f", median / base)));
            });
    return b.toString();
  }

  private static double median(double[] sorted) {
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
}
