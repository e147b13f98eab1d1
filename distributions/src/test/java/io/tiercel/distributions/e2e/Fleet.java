package io.tiercel.distributions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.service.Service;
import io.tiercel.distributions.e2e.TwoTiers.Output;
import io.tiercel.distributions.e2e.TwoTiers.Processing;
import io.tiercel.distributions.e2e.TwoTiers.Reconciliation;
import io.tiercel.distributions.e2e.TwoTiers.Sender;
import io.tiercel.testing.kafka.KafkaCluster;
import io.tiercel.testing.process.Await;
import io.tiercel.testing.process.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The fleet of issue 15 on a three-node cluster: two ingestion instances (in this JVM, the SDK's
 * OTLP exporter alternating between them as a load balancer would) writing a 12-partition topic
 * (replication factor 3, {@code min.insync.replicas=2}, {@code acks=all}), and processing instances
 * (kafka -> tail_sampling -> file, each a child JVM) in one consumer group.
 *
 * <p>Processing instances leave mid-stream (SIGKILL or SIGTERM): the group's cooperative-sticky
 * assignor hands only their partitions to the others, and what they held undecided was not
 * committed, so the next owner reads those traces whole. Before an instance joins, the sender
 * pauses at a trace boundary until the group has committed everything: a join revokes partitions
 * from running instances, and a partition revoked between the two records of one trace would split
 * that trace between two owners (see {@link TailSamplingGroupIT}).
 */
final class Fleet {
  static final int PARTITIONS = 12;
  static final String ON_MEMORY = "otelcol_processor_tail_sampling_sampling_traces_on_memory";
  private static final int MAX_IN_FLIGHT_RECORDS = 5000;

  /**
   * How big and how long a run is: {@code traces} in segments of {@code segment}, tail_sampling's
   * {@code decisionWait}, how long the killed broker stays down, the sender's request rate.
   */
  record Scenario(
      String name,
      int traces,
      int segment,
      Duration decisionWait,
      Duration brokerDown,
      int requestsPerSecond) {
    /** Longer than decision_wait and a tick: a revoked partition's traces are decided first. */
    Duration revokeTimeout() {
      return decisionWait.multipliedBy(2).plusSeconds(5);
    }
  }

  private final KafkaCluster cluster;
  private final Scenario s;
  private final Path dir;
  private final String topic;
  private final String group;
  private final TraceWorkload w;
  private final List<Service> ingestion = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Processing> instances = new ArrayList<>();
  private final List<ChildJvm> running = new ArrayList<>();

  Fleet(KafkaCluster cluster, Scenario s, long seed) throws Exception {
    this.cluster = cluster;
    this.s = s;
    dir = TwoTiers.workDir(s.name());
    topic = s.name().toLowerCase(java.util.Locale.ROOT);
    group = topic + "-group";
    // LogAppendTime: a record held back in a producer by a leader election carries the time it
    // reached the broker, so TwoTiers.Topic#late sees the traces whose spans reached Kafka seconds
    // apart (tail_sampling rightly decides those in parts: the late spans follow the cached
    // decision)
    cluster.createTopic(topic, PARTITIONS, Map.of("message.timestamp.type", "LogAppendTime"));
    w = new TraceWorkload(s.traces(), s.segment(), seed);
  }

  TraceWorkload workload() {
    return w;
  }

  String topic() {
    return topic;
  }

  /** Starts {@code n} ingestion instances in this JVM and returns a sender spread over them. */
  Sender ingestion(int n) throws Exception {
    for (int i = 1; i <= n; i++) {
      int port = TwoTiers.freePort();
      ports.add(port);
      ingestion.add(TwoTiers.ingestion(dir, "ingestion-" + i, cluster, topic, port));
    }
    return new Sender(ports, w.requests, s.requestsPerSecond());
  }

  /** Starts a new processing instance (a child JVM with its own output file) in the group. */
  Instance startProcessing() throws IOException {
    Processing p =
        TwoTiers.processing(
            dir,
            "processing-" + (instances.size() + 1),
            cluster,
            topic,
            group,
            MAX_IN_FLIGHT_RECORDS,
            s.revokeTimeout(),
            s.decisionWait());
    instances.add(p);
    ChildJvm jvm = p.start();
    running.add(jvm);
    return new Instance(p, jvm);
  }

  /** A running processing instance. */
  record Instance(Processing config, ChildJvm jvm) {
    void awaitAssigned(String topic) {
      Await.until(
          config.name() + " to be assigned partitions of " + topic,
          Duration.ofSeconds(120),
          Duration.ofMillis(100),
          jvm::logText,
          l -> l.lines().anyMatch(x -> x.contains("partitions assigned: [" + topic)),
          () -> "\n" + jvm.logText());
    }

    /** Decisions (exports) written so far; a message being written is not counted. */
    int decisions() {
      try {
        return config.output().exports().size();
      } catch (IOException e) {
        return 0;
      }
    }
  }

  /** Waits until every request before {@code request} is acknowledged. */
  static void awaitAcked(Sender sender, int request) {
    Await.until(
        request + " requests acknowledged",
        Duration.ofSeconds(180),
        Duration.ofMillis(100),
        sender.requestsAcked::get,
        n -> n >= request,
        () -> " (" + sender.requestsSent.get() + " sent)");
  }

  /** Waits until the group has committed every record of the topic: its lag is zero. */
  void awaitDrained(String why) {
    Await.until(
        "the group to commit every record of the topic (" + why + ")",
        Duration.ofSeconds(180),
        Duration.ofMillis(250),
        () -> TwoTiers.drained(cluster, topic, group),
        d -> d,
        () -> "\nend offsets " + cluster.endOffsets(topic) + "\ncommitted " + committed());
  }

  private Map<?, ?> committed() {
    return cluster.committedOffsets(group);
  }

  /**
   * Everything that reached the backend against what the OTLP client was acknowledged and the
   * policies keep; asserts the fleet's promises and returns the reconciliation for the report.
   */
  Reconciliation reconcile(Sender sender) throws IOException {
    assertThat(sender.spansAcked.get())
        .as("every span acknowledged by the ingestion tier in the end")
        .isEqualTo(w.spanCount);
    TwoTiers.Topic t = TwoTiers.topic(cluster, topic);
    for (Map.Entry<String, Set<String>> e : w.spansByTrace.entrySet()) {
      assertThat(new HashSet<>(t.spans().getOrDefault(e.getKey(), List.of())))
          .as("trace %s in Kafka", e.getKey())
          .isEqualTo(e.getValue());
    }
    Map<String, Set<String>> partitions = new TreeMap<>();
    t.records()
        .forEach(
            (trace, where) ->
                partitions.put(
                    trace,
                    where.stream()
                        .map(x -> x.substring(0, x.indexOf('@')))
                        .collect(Collectors.toSet())));
    assertThat(partitions.entrySet().stream().filter(e -> e.getValue().size() > 1).toList())
        .as("traces whose records (from both ingestion instances) are in more than one partition")
        .isEmpty();
    List<Output> outputs = new ArrayList<>();
    for (Processing p : instances) {
      outputs.add(p.output());
    }
    Set<String> late = t.late(s.decisionWait());
    Reconciliation r = TwoTiers.reconcile(w, outputs, late);
    System.out.printf(
        "%s: %,d traces (%,d spans), %,d kept (%,d spans); %,d records in Kafka (%,d spans with"
            + " resent ones); %d requests sent again; %s; %d late traces (records %d ms apart at"
            + " most)%n",
        s.name(),
        w.spansByTrace.size(),
        w.spanCount,
        w.kept.size(),
        w.keptSpans(),
        t.recordCount(),
        t.spans().values().stream().mapToInt(List::size).sum(),
        sender.resends.get(),
        r,
        late.size(),
        t.maxSpreadMillis());
    assertThat(r.unknownSpans()).as("only generated spans").isEmpty();
    assertThat(r.missingKeptSpans()).as("spans of kept traces missing from the backend").isEmpty();
    assertThat(r.unexpectedTraces()).as("traces the policies drop").isEmpty();
    // A kept trace exported in parts, never whole in one decision, is one whose last record reached
    // its instance after decision_wait (a loaded machine, a leader election): the late spans
    // followed
    // the cached decision, and the backend has the whole trace (asserted above). Its parts must
    // come
    // from one instance: parts from two would be a trace the fleet split between owners.
    for (String trace : r.partialOnly()) {
      List<String> holders = new ArrayList<>();
      for (int i = 0; i < instances.size(); i++) {
        if (outputs.get(i).exports().stream().anyMatch(e -> e.spansByTrace().containsKey(trace))) {
          holders.add(instances.get(i).name());
        }
      }
      assertThat(holders).as("instances that exported parts of trace %s", trace).hasSize(1);
    }
    assertThat(late)
        .as("traces whose spans reached Kafka decision_wait apart (the sender was starved)")
        .hasSizeLessThan(Math.max(1, w.kept.size() / 10));
    return r;
  }

  /** Stops the live processing instances (SIGTERM), the ingestion instances and the sender. */
  void stopAll() {
    for (ChildJvm j : running) {
      if (j.isAlive()) {
        assertThat(j.stop(Duration.ofSeconds(60))).as(j.log().toString()).isEqualTo(143);
      }
    }
  }

  /** Kills whatever still runs (for {@code finally}). */
  void close() {
    for (ChildJvm j : running) {
      j.close();
    }
    for (Service i : ingestion) {
      i.shutdown(Duration.ofSeconds(10));
    }
  }

  /**
   * Issue 15's fleet test 1: two ingestion and three processing instances; mid-stream one
   * processing instance is SIGKILLed while it holds undecided traces, a fourth joins, and the node
   * leading most partitions is SIGKILLed and started again {@code brokerDown} later.
   */
  static void failover(KafkaCluster cluster, Scenario s) throws Exception {
    Fleet f = new Fleet(cluster, s, 15);
    TraceWorkload w = f.workload();
    List<Integer> b = w.boundaries;
    try (Sender sender = f.ingestion(2)) {
      Instance p1 = f.startProcessing();
      Instance p2 = f.startProcessing();
      Instance p3 = f.startProcessing();
      for (Instance p : List.of(p1, p2, p3)) {
        p.awaitAssigned(f.topic());
      }
      sender.pauseBefore(b.get(1));
      sender.start();
      // 1. SIGKILL an instance inside its decision wait: it decided some traces, holds others
      double[] atKill =
          Await.until(
              "processing-1 to hold undecided traces after deciding some",
              Duration.ofSeconds(120),
              Duration.ofMillis(100),
              () -> new double[] {p1.config().metric(ON_MEMORY), p1.decisions()},
              v -> v[0] >= 10 && v[1] >= 5,
              () -> "\n" + p1.jvm().logText());
      p1.jvm().kill();
      int ackedAtKill = sender.requestsAcked.get();
      // 2. a fourth instance joins at a trace boundary, once the group has committed everything
      awaitAcked(sender, b.get(1));
      f.awaitDrained("before processing-4 joins");
      Instance p4 = f.startProcessing();
      p4.awaitAssigned(f.topic());
      sender.resume();
      // 3. SIGKILL the node leading most partitions mid-stream; it comes back brokerDown later
      int requests = w.requests.size();
      awaitAcked(sender, b.get(1) + (requests - b.get(1)) / 4);
      Map<Integer, Integer> leadersBefore = cluster.leaders(f.topic());
      int victim = cluster.leaderOfMostPartitions(f.topic());
      cluster.kill(victim);
      int ackedAtBrokerKill = sender.requestsAcked.get();
      Thread.sleep(s.brokerDown().toMillis()); // the outage itself, not a wait for a condition
      Map<Integer, Integer> leadersDuring = cluster.leaders(f.topic());
      int ackedWhileDown = sender.requestsAcked.get() - ackedAtBrokerKill;
      cluster.start(victim);
      sender.join(Duration.ofSeconds(300));
      f.awaitDrained("after the last request");
      cluster.awaitInSync(f.topic(), Duration.ofSeconds(120));
      f.stopAll();
      System.out.printf(
          "%s: processing-1 killed after %d requests with %.0f traces undecided and %.0f decisions"
              + " written; node %d (leader of %d of %d partitions: %s) killed after %d requests,"
              + " down %s, %d requests acknowledged meanwhile (leaders then %s)%n",
          s.name(),
          ackedAtKill,
          atKill[0],
          atKill[1],
          victim,
          leadersBefore.values().stream().filter(l -> l == victim).count(),
          PARTITIONS,
          leadersBefore,
          ackedAtBrokerKill,
          s.brokerDown(),
          ackedWhileDown,
          leadersDuring);
      assertThat(leadersDuring.values()).as("the dead node leads nothing").doesNotContain(victim);
      assertThat(ackedWhileDown)
          .as("acks=all writes went on with two of three replicas")
          .isPositive();
      f.reconcile(sender);
      assertThat(p4.decisions()).as("processing-4 decided traces").isPositive();
    } finally {
      f.close();
    }
  }

  /**
   * Issue 15's fleet test 3: three processing instances under steady traffic; each in turn gets
   * SIGTERM mid-stream (while it holds undecided traces) and a new incarnation joins in its place.
   */
  static void rollingRestart(KafkaCluster cluster, Scenario s) throws Exception {
    Fleet f = new Fleet(cluster, s, 21);
    TraceWorkload w = f.workload();
    List<Integer> b = w.boundaries;
    assertThat(b).as("one segment per restart and one after").hasSizeGreaterThanOrEqualTo(4);
    try (Sender sender = f.ingestion(2)) {
      List<Instance> live = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        live.add(f.startProcessing());
      }
      for (Instance p : live) {
        p.awaitAssigned(f.topic());
      }
      sender.pauseBefore(b.get(0));
      sender.start();
      List<String> report = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Instance old = live.get(i);
        int segmentStart = i == 0 ? 0 : b.get(i - 1);
        // SIGTERM mid-segment, while the instance holds undecided traces: the others keep their
        // partitions and take over its own, whose undecided traces it did not commit
        awaitAcked(sender, segmentStart + (b.get(i) - segmentStart) / 3);
        double onMemory =
            Await.until(
                old.config().name() + " to hold undecided traces",
                Duration.ofSeconds(60),
                Duration.ofMillis(50),
                () -> old.config().metric(ON_MEMORY),
                v -> v > 0,
                () -> "");
        assertThat(old.jvm().stop(Duration.ofSeconds(60))).as(old.jvm().logText()).isEqualTo(143);
        report.add(
            "%s stopped holding %.0f undecided traces".formatted(old.config().name(), onMemory));
        // its new incarnation joins at the segment's end, once the group committed everything
        awaitAcked(sender, b.get(i));
        f.awaitDrained("before the restarted instance joins");
        Instance again = f.startProcessing();
        again.awaitAssigned(f.topic());
        live.set(i, again);
        if (i < 2) {
          sender.pauseBefore(b.get(i + 1));
        } else {
          sender.resume();
        }
      }
      sender.join(Duration.ofSeconds(300));
      f.awaitDrained("after the last request");
      f.stopAll();
      System.out.printf("%s: %s%n", s.name(), String.join("; ", report));
      f.reconcile(sender);
    } finally {
      f.close();
    }
  }
}
