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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's crash test, end to end on a real broker: the OpenTelemetry SDK's OTLP gRPC exporter ->
 * ingestion tier (otlp -> batch -> kafka keyed by trace id) -> a 4-partition topic -> processing
 * tier in a child JVM (kafka -> tail_sampling with decision_wait 5 s and three policies -> file).
 * The processing JVM is killed with SIGKILL while it holds undecided traces and the sender is still
 * sending, then started again in the same group with a new output file. Every trace the policies
 * keep (worked out from the generated data) is in the outputs with all its spans; no trace they
 * drop is; duplicates and partial re-decisions are counted and printed.
 */
@KafkaBrokerTest
class TailSamplingCrashIT {
  private static final String TOPIC = "ts_crash";
  private static final String GROUP = "ts-crash";
  private static final int PARTITIONS = 4;

  /**
   * Far above the records per partition of the whole run, so no partition ever pauses (asserted
   * below).
   */
  private static final int MAX_IN_FLIGHT_RECORDS = 2000;

  private static final String ON_MEMORY =
      "otelcol_processor_tail_sampling_sampling_traces_on_memory";

  static KafkaBroker broker;

  @Test
  void killNineWhileTracesAreUndecidedThenRestartKeepsEveryKeptTraceWhole() throws Exception {
    Path dir = TwoTiers.workDir("TailSamplingCrashIT");
    broker.createTopic(TOPIC, PARTITIONS);
    TraceWorkload w = new TraceWorkload(900, 900, 7);
    int requests = w.requests.size();
    assertThat(w.kept).as("the policies keep some traces and drop others").hasSizeBetween(150, 400);

    int otlpPort = TwoTiers.freePort();
    Service ingestion = TwoTiers.ingestion(dir, broker, TOPIC, otlpPort);
    Processing p1 =
        TwoTiers.processing(
            dir,
            "processing-1",
            broker,
            TOPIC,
            GROUP,
            MAX_IN_FLIGHT_RECORDS,
            Duration.ofSeconds(2));
    Processing p2 =
        TwoTiers.processing(
            dir,
            "processing-2",
            broker,
            TOPIC,
            GROUP,
            MAX_IN_FLIGHT_RECORDS,
            Duration.ofSeconds(2));
    double onMemoryAtKill;
    int ackedAtKill;
    long decisionsBeforeKill;
    int resends;
    try (Sender sender = new Sender(otlpPort, w.requests, 60)) {
      ChildJvm first = p1.start();
      try {
        Await.until(
            "the first processing tier to be assigned partitions",
            Duration.ofSeconds(60),
            Duration.ofMillis(100),
            first::logText,
            l -> l.contains("partitions assigned"),
            () -> "");
        // never finish before the kill: the sender waits at two thirds until the first JVM is gone
        sender.pauseBefore(requests * 2 / 3);
        sender.start();
        // kill -9 while some traces were decided and written and others are buffered, undecided
        double[] at =
            Await.until(
                "10 decisions written while traces are buffered undecided",
                Duration.ofSeconds(90),
                Duration.ofMillis(100),
                () -> new double[] {p1.metric(ON_MEMORY), decisions(p1)},
                v -> v[0] >= 20 && v[1] >= 10,
                () -> "\n" + first.logText());
        assertThat(first.isAlive()).isTrue();
        onMemoryAtKill = at[0];
      } finally {
        first.kill();
      }
      ackedAtKill = sender.requestsAcked.get();
      decisionsBeforeKill = p1.output().exports().size();
      assertThat(sender.requestsSent.get()).as("killed mid-stream").isLessThan(requests);
      sender.resume();

      ChildJvm second = p2.start();
      try {
        sender.join(Duration.ofSeconds(120));
        Await.until(
            "the group to commit every record of the topic",
            Duration.ofSeconds(90),
            Duration.ofMillis(250),
            () -> TwoTiers.drained(broker, TOPIC, GROUP),
            d -> d,
            () -> "\n" + second.logText());
        assertThat(p2.metric("otelcol_processor_tail_sampling_traces_decided_early"))
            .as("num_traces is large enough: no trace decided before its decision_wait")
            .isZero();
      } finally {
        assertThat(second.stop(Duration.ofSeconds(30))).as(second.logText()).isEqualTo(143);
      }
      assertThat(sender.spansAcked.get())
          .as("every span acknowledged by the ingestion tier")
          .isEqualTo(w.spanCount);
      resends = sender.resends.get();
    } finally {
      ingestion.shutdown(Duration.ofSeconds(10));
    }

    // in Kafka: every generated span, one partition per trace
    TwoTiers.Topic topic = TwoTiers.topic(broker, TOPIC);
    Map<String, List<String>> inKafka = topic.spans();
    int kafkaSpans = inKafka.values().stream().mapToInt(List::size).sum();
    for (Map.Entry<String, Set<String>> t : w.spansByTrace.entrySet()) {
      assertThat(new HashSet<>(inKafka.getOrDefault(t.getKey(), List.of())))
          .as("trace %s in Kafka", t.getKey())
          .isEqualTo(t.getValue());
    }
    long records = topic.recordCount();
    long maxPerPartition =
        broker.endOffsets(TOPIC).values().stream().mapToLong(Long::longValue).max().orElse(0);
    assertThat(maxPerPartition)
        .as("max_in_flight.records holds a whole partition: the window never filled")
        .isLessThan(MAX_IN_FLIGHT_RECORDS);

    Output first = p1.output();
    Output second = p2.output();
    assertThat(second.truncatedBytes())
        .as("the gracefully stopped JVM wrote whole messages")
        .isZero();
    Set<String> late = topic.late(TwoTiers.DECISION_WAIT);
    Reconciliation r = TwoTiers.reconcile(w, List.of(first, second), late);
    System.out.printf(
        "tail_sampling kill -9: %,d traces (%,d spans) sent, %,d kept by the policies (%,d spans);"
            + " %,d records (%,d spans) in Kafka over %d partitions; killed after %d of %d requests"
            + " with %.0f traces undecided in memory and %d decisions written (%d bytes cut short);"
            + " output: %s; run 1 exported %,d spans, run 2 %,d; %d requests sent again; a trace's"
            + " records at most %d ms apart in Kafka (%d traces 4 s or more)%n",
        w.spansByTrace.size(),
        w.spanCount,
        w.kept.size(),
        w.keptSpans(),
        records,
        kafkaSpans,
        PARTITIONS,
        ackedAtKill,
        requests,
        onMemoryAtKill,
        decisionsBeforeKill,
        first.truncatedBytes(),
        r,
        first.spans(),
        second.spans(),
        resends,
        topic.maxSpreadMillis(),
        late.size());
    for (String missing :
        r.missingKeptSpans().stream().map(x -> x.substring(0, 32)).distinct().toList()) {
      System.out.printf(
          "missing trace %s: records %s; outputs hold %s / %s%n",
          missing,
          topic.records().get(missing),
          first.exports().stream().filter(e -> e.spansByTrace().containsKey(missing)).toList(),
          second.exports().stream().filter(e -> e.spansByTrace().containsKey(missing)).toList());
    }
    assertThat(r.unknownSpans()).as("only generated spans").isEmpty();
    assertThat(r.missingKeptSpans()).as("spans of kept traces missing from the outputs").isEmpty();
    assertThat(r.unexpectedTraces()).as("traces the policies drop").isEmpty();
    // A re-read record may bring part of a trace already decided before the kill (its other record
    // was committed):
    // the restarted instance decides that part alone. The policies are monotone, so such a part is
    // exported only
    // when the whole trace was kept, and then the whole trace is in the output too.
    assertThat(r.partialOnly()).as("traces exported only in part").isEmpty();
    assertThat(late)
        .as("traces whose spans reached Kafka decision_wait apart (the sender was starved)")
        .hasSizeLessThan(w.kept.size() / 10);
    if (late.isEmpty()) {
      assertThat(r.uniqueSpans()).isEqualTo(w.keptSpans());
    }
  }

  /** Decisions (exports) written so far; a message being written is not counted. */
  private static double decisions(Processing p) {
    try {
      return p.output().exports().size();
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
