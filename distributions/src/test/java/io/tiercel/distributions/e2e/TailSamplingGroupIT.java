package io.tiercel.distributions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.service.Service;
import io.tiercel.distributions.e2e.TwoTiers.Output;
import io.tiercel.distributions.e2e.TwoTiers.Processing;
import io.tiercel.distributions.e2e.TwoTiers.Reconciliation;
import io.tiercel.distributions.e2e.TwoTiers.Sender;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import io.tiercel.testing.process.Await;
import io.tiercel.testing.process.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's two-instance test on a real broker: two processing tiers (child JVMs: kafka ->
 * tail_sampling with decision_wait 5 s -> file) in one consumer group on a 6-partition topic
 * written by the ingestion tier (keyed by trace id; every trace arrives in two OTLP requests, so
 * usually in two records). The second instance joins while the first holds every trace of the first
 * segment undecided (a rebalance moves half of the partitions under them), and later the first is
 * stopped (SIGTERM) while both hold undecided traces (the survivor takes every partition). Across
 * both outputs: every export of a trace holds all its spans (no trace is decided twice with partial
 * spans), every kept trace is there, no dropped one is; duplicates are counted and printed.
 *
 * <p>The sender pauses at a trace boundary before each membership change, until the instances have
 * fetched what it sent: a partition revoked while one record of a trace was fetched and the next
 * one not yet would split that trace between two owners whatever the keying (the old owner decides
 * its part when the wait is over, the new owner the rest), a limit of revoking partitions under
 * buffered traces, not of the keying.
 */
@KafkaBrokerTest
class TailSamplingGroupIT {
  private static final String TOPIC = "ts_group";
  private static final String GROUP = "ts-group";
  private static final int PARTITIONS = 6;
  private static final int MAX_IN_FLIGHT_RECORDS = 2000;

  /**
   * Longer than decision_wait + tick: a revoked partition's undecided traces are decided before it
   * moves.
   */
  private static final Duration REVOKE_TIMEOUT = Duration.ofSeconds(15);

  private static final String RECORDS = "otelcol_kafka_receiver_records";
  private static final String ON_MEMORY =
      "otelcol_processor_tail_sampling_sampling_traces_on_memory";

  static KafkaBroker broker;

  @Test
  void twoInstancesInOneGroupNeverDecideATraceInParts() throws Exception {
    Path dir = TwoTiers.workDir("TailSamplingGroupIT");
    broker.createTopic(TOPIC, PARTITIONS);
    TraceWorkload w = new TraceWorkload(600, 200, 11);
    assertThat(w.boundaries).hasSize(3);
    int otlpPort = TwoTiers.freePort();
    Service ingestion = TwoTiers.ingestion(dir, broker, TOPIC, otlpPort);
    Processing pa =
        TwoTiers.processing(
            dir, "processing-a", broker, TOPIC, GROUP, MAX_IN_FLIGHT_RECORDS, REVOKE_TIMEOUT);
    Processing pb =
        TwoTiers.processing(
            dir, "processing-b", broker, TOPIC, GROUP, MAX_IN_FLIGHT_RECORDS, REVOKE_TIMEOUT);
    double onMemoryAtJoin;
    double onMemoryAtStop;
    int resends;
    String logA;
    try (Sender sender = new Sender(otlpPort, w.requests, 80)) {
      ChildJvm a = pa.start();
      ChildJvm b = null;
      try {
        Await.until(
            "instance A to be assigned partitions",
            Duration.ofSeconds(60),
            Duration.ofMillis(100),
            a::logText,
            l -> l.contains("partitions assigned"),
            () -> "");
        sender.pauseBefore(w.boundaries.get(0));
        sender.start();
        // 1. B joins while A holds the first segment's traces undecided
        awaitFetched(sender, w.boundaries.get(0), a, pa, null);
        onMemoryAtJoin = pa.metric(ON_MEMORY);
        b = pb.start();
        ChildJvm bb = b;
        Await.until(
            "instance B to be assigned partitions",
            Duration.ofSeconds(90),
            Duration.ofMillis(100),
            bb::logText,
            l -> l.lines().anyMatch(x -> x.contains("partitions assigned: [ts_group")),
            () -> "\nA:\n" + a.logText() + "\nB:\n" + bb.logText());
        // 2. both run; A stops (SIGTERM) while both hold undecided traces, B takes every partition
        sender.pauseBefore(w.boundaries.get(1));
        awaitFetched(sender, w.boundaries.get(1), a, pa, pb);
        onMemoryAtStop = pa.metric(ON_MEMORY) + pb.metric(ON_MEMORY);
        assertThat(a.stop(Duration.ofSeconds(60))).as(a.logText()).isEqualTo(143);
        // 3. the rest of the stream to B alone
        sender.resume();
        sender.join(Duration.ofSeconds(120));
        Await.until(
            "the group to commit every record of the topic",
            Duration.ofSeconds(90),
            Duration.ofMillis(250),
            () -> TwoTiers.drained(broker, TOPIC, GROUP),
            d -> d,
            () -> "\n" + bb.logText());
        assertThat(b.stop(Duration.ofSeconds(60))).as(b.logText()).isEqualTo(143);
        resends = sender.resends.get();
      } finally {
        a.close();
        if (b != null) {
          b.close();
        }
      }
      logA = a.logText();
    } finally {
      ingestion.shutdown(Duration.ofSeconds(10));
    }

    TwoTiers.Topic topic = TwoTiers.topic(broker, TOPIC);
    Output fromA = pa.output();
    Output fromB = pb.output();
    Set<String> late = topic.late(TwoTiers.DECISION_WAIT);
    Reconciliation r = TwoTiers.reconcile(w, List.of(fromA, fromB), late);
    System.out.printf(
        "tail_sampling two instances: %,d traces (%,d spans) sent, %,d kept (%,d spans); %,d"
            + " records in %d partitions; %.0f traces undecided in A when B joined, %.0f in A and B"
            + " when A stopped; A exported %,d spans in %,d decisions, B %,d in %,d; %s; %d"
            + " requests sent again; a trace's records at most %d ms apart (%d traces 4 s or"
            + " more)%n",
        w.spansByTrace.size(),
        w.spanCount,
        w.kept.size(),
        w.keptSpans(),
        topic.recordCount(),
        PARTITIONS,
        onMemoryAtJoin,
        onMemoryAtStop,
        fromA.spans(),
        fromA.exports().size(),
        fromB.spans(),
        fromB.exports().size(),
        r,
        resends,
        topic.maxSpreadMillis(),
        late.size());
    assertThat(logA).contains("partitions revoked");
    assertThat(onMemoryAtJoin).as("A held undecided traces when B joined").isPositive();
    assertThat(fromA.spans()).as("A exported").isPositive();
    assertThat(fromB.spans()).as("B exported").isPositive();
    assertThat(r.unknownSpans()).isEmpty();
    assertThat(r.partialExports()).as("decisions on part of a trace").isZero();
    assertThat(r.missingKeptSpans()).as("spans of kept traces missing").isEmpty();
    assertThat(r.unexpectedTraces()).as("traces the policies drop").isEmpty();
    assertThat(late)
        .as("traces whose spans reached Kafka decision_wait apart (the sender was starved)")
        .hasSizeLessThan(w.kept.size() / 10);
  }

  /**
   * Waits until the ingestion tier acknowledged the first {@code requests} requests (they are in
   * Kafka) and the instances fetched every record of the topic ({@code
   * otelcol_kafka_receiver_records} summed over both).
   */
  private static void awaitFetched(
      Sender sender, int requests, ChildJvm a, Processing pa, Processing pb) {
    Await.until(
        requests + " requests acknowledged",
        Duration.ofSeconds(120),
        Duration.ofMillis(100),
        sender.requestsAcked::get,
        n -> n >= requests,
        () -> "");
    long records = broker.endOffsets(TOPIC).values().stream().mapToLong(Long::longValue).sum();
    Await.until(
        "the instances to fetch all " + records + " records",
        Duration.ofSeconds(60),
        Duration.ofMillis(100),
        () -> pa.metric(RECORDS) + (pb == null ? 0 : pb.metric(RECORDS)),
        n -> n >= records,
        () -> "\n" + a.logText());
  }
}
