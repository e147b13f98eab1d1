package io.tiercel.kafka.receiver;

import static io.tiercel.kafka.receiver.KafkaReceiverIT.counter;
import static io.tiercel.kafka.receiver.KafkaReceiverIT.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.receiver.RefusingPipeline.Call;
import io.tiercel.testing.TestData;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retryable failures are retried in place: the refused record waits and goes to the pipeline again
 * while the records after it are accepted once, the committed offset never passes it, a revoke
 * leaves it to the next owner, and {@code message_marking.on_error} still gives up on it after
 * {@code max_elapsed_time}.
 */
@KafkaBrokerTest
class RetryInPlaceIT {
  static KafkaBroker broker;
  private final ItSupport it = new ItSupport(broker);

  @AfterEach
  void stopReceivers() throws Exception {
    it.stopAll();
  }

  /** Creates {@code topic} with one partition holding {@code records} records of one span each. */
  private void topicWithOnePartition(String topic, int records) {
    broker.createTopic(topic, 1);
    it.produce(
        topic,
        0,
        IntStream.range(0, records).mapToObj(i -> TestData.traces(1, 1, i).bytes()).toList(),
        Map.of());
  }

  private static long refusals(List<Call> calls, String receiver, int partition, long offset) {
    return RefusingPipeline.copy(calls).stream()
        .filter(
            c ->
                c.refused()
                    && c.receiver().equals(receiver)
                    && c.partition() == partition
                    && c.offset() == offset)
        .count();
  }

  private static List<Long> offsetsOf(List<Call> list, String receiver, int partition) {
    return list.stream()
        .filter(
            a -> a.partition() == partition && (receiver == null || a.receiver().equals(receiver)))
        .map(Call::offset)
        .toList();
  }

  /**
   * Offset 10 of 50 is refused at least {@code N} times, and until every other record was accepted:
   * the records after it must keep flowing while it waits (or the test never ends), each is
   * accepted exactly once, and the committed offset stays at 10 until offset 10 itself is accepted.
   */
  @Test
  void aRecordRefusedSeveralTimesIsRetriedInPlaceWhileTheRecordsAfterItAreAcceptedOnce()
      throws Exception {
    String topic = "inplace";
    int records = 50;
    int refuseAtLeast = 4;
    topicWithOnePartition(topic, records);
    Settings settings = Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "inplace"), null);
    List<Call> calls = RefusingPipeline.newList();
    List<Call> accepted = RefusingPipeline.newList();
    AtomicInteger calls10 = new AtomicInteger();
    AtomicLong committedBefore10 = new AtomicLong(-1);
    RefusingPipeline pipeline =
        new RefusingPipeline(
            "r",
            calls,
            accepted,
            (p, o) -> {
              if (o != 10) {
                return false;
              }
              int call = calls10.incrementAndGet();
              boolean refuse = call <= refuseAtLeast || accepted.size() < records - 1;
              if (!refuse) {
                // the receiver's last commit before the record is accepted (its own gauge, read on
                // its poll thread)
                committedBefore10.set(
                    (long)
                        gauge(
                            settings.metrics(),
                            "otelcol_kafka_receiver_current_offset",
                            Map.of("topic", topic)));
              }
              return refuse;
            });
    it.start(
        settings,
        it.config("g-inplace", topic, "inplace-m", "inplace-l").build(),
        new Consumers(pipeline, null, null));

    assertThat(
            ItSupport.eventually(Duration.ofSeconds(60), () -> it.caughtUp("g-inplace", topic, 1)))
        .as("committed to the end")
        .isTrue();
    List<Long> offsets = offsetsOf(RefusingPipeline.copy(accepted), null, 0);
    assertThat(offsets)
        .as("every record accepted exactly once")
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, records).mapToObj(i -> (long) i).toList());
    assertThat(offsets.get(offsets.size() - 1))
        .as("the refused record was accepted after all the others")
        .isEqualTo(10L);
    long refusals = refusals(calls, "r", 0, 10);
    assertThat(refusals).isGreaterThanOrEqualTo(refuseAtLeast).isEqualTo(calls10.get() - 1);
    assertThat(committedBefore10.get())
        .as("the committed offset never passed the waiting record")
        .isBetween(0L, 10L);
    assertThat(
            counter(settings.metrics(), "otelcol_kafka_receiver_retries", Map.of("topic", topic)))
        .as("one retry per refusal")
        .isEqualTo(refusals);
    assertThat(
            counter(
                settings.metrics(), "otelcol_kafka_receiver_records", Map.of("outcome", "success")))
        .as("a retry is not a second received record")
        .isEqualTo(records);
  }

  /**
   * A backend outage refuses every record of a partition: only one of the waiting records (the
   * probe) goes back to the pipeline per backoff, not each of them; once the backend is back every
   * record is accepted exactly once. The bound on retries holds on any machine: a slow one only
   * makes fewer.
   */
  @Test
  void duringAnOutageOneRecordPerPartitionIsRetriedNotEveryRecord() throws Exception {
    String topic = "outage";
    int records = 100;
    topicWithOnePartition(topic, records);
    Settings settings = Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "outage"), null);
    List<Call> calls = RefusingPipeline.newList();
    List<Call> accepted = RefusingPipeline.newList();
    java.util.concurrent.atomic.AtomicBoolean down =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    RefusingPipeline pipeline = new RefusingPipeline("r", calls, accepted, (p, o) -> down.get());
    ConfigBuilder b = it.config("g-outage", topic, "outage-m", "outage-l");
    // no jitter: waits of 20, 40, 80, 160 ms, then 200 ms each, so one probe makes at most 4 + T /
    // 200 ms
    // retries in T of outage; without the probe each waiting record would make that many
    b.backoff =
        new RetryConfig(true, Duration.ofMillis(20), 0, 2, Duration.ofMillis(200), Duration.ZERO);
    long t0 =
        System.nanoTime(); // before the first call: T measured from here is at least the outage so
    // far
    it.start(settings, b.build(), new Consumers(pipeline, null, null));

    assertThat(ItSupport.eventually(Duration.ofSeconds(60), () -> !calls.isEmpty())).isTrue();
    Thread.sleep(2_000);
    List<Call> during = RefusingPipeline.copy(calls);
    long outageMillis = (System.nanoTime() - t0) / 1_000_000;
    Set<Long> refusedOffsets =
        during.stream().map(Call::offset).collect(Collectors.toCollection(TreeSet::new));
    long retries =
        during.size() - refusedOffsets.size(); // every call after a record's first is a retry
    long oneProbeBound = 5 + outageMillis / 200;
    assertThat(refusedOffsets)
        .as("many records of the partition wait for a retry")
        .hasSizeGreaterThanOrEqualTo(10);
    assertThat(retries)
        .as(
            "retries in %d ms of outage: one probe per backoff, not one per waiting record",
            outageMillis)
        .isLessThanOrEqualTo(oneProbeBound);
    down.set(false);
    assertThat(
            ItSupport.eventually(Duration.ofSeconds(60), () -> it.caughtUp("g-outage", topic, 1)))
        .as("committed to the end once the backend is back")
        .isTrue();
    assertThat(offsetsOf(RefusingPipeline.copy(accepted), null, 0))
        .as("every record accepted exactly once")
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, records).mapToObj(i -> (long) i).toList());
    System.out.printf(
        "outage: %d records refused and waiting, %d retries in %d ms of outage (one probe: at most"
            + " %d)%n",
        refusedOffsets.size(), retries, outageMillis, oneProbeBound);
  }

  /**
   * Receiver {@code a} owns both partitions and never accepts offset 5 of either, so each waits for
   * a retry. Receiver {@code b} joins the group: one partition is revoked from {@code a}, which
   * commits up to its waiting record and leaves it; {@code b} delivers it. Then {@code a} stops and
   * {@code b} takes the other partition too. Nothing is lost, and the waiting records are accepted
   * by {@code b} only.
   */
  @Test
  void aRevokeWhileARetryWaitsLeavesTheRecordToTheNextOwner() throws Exception {
    String topic = "revoke-wait";
    String group = "g-revoke-wait";
    int records = 20;
    broker.createTopic(topic, 2);
    for (int p = 0; p < 2; p++) {
      int part = p;
      it.produce(
          topic,
          p,
          IntStream.range(0, records)
              .mapToObj(i -> TestData.traces(1, 1, part * 100 + i).bytes())
              .toList(),
          Map.of());
    }
    List<Call> calls = RefusingPipeline.newList();
    List<Call> accepted = RefusingPipeline.newList();
    RefusingPipeline pa = new RefusingPipeline("a", calls, accepted, (p, o) -> o == 5);
    RefusingPipeline pb = new RefusingPipeline("b", calls, accepted, (p, o) -> false);
    ConfigBuilder b = it.config(group, topic, "rw-m", "rw-l");
    Receiver a = it.start("a", b.build(), new Consumers(pa, null, null));
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(30),
                () -> refusals(calls, "a", 0, 5) >= 2 && refusals(calls, "a", 1, 5) >= 2))
        .as("a owns both partitions and retries offset 5 of each")
        .isTrue();
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(10),
                () -> it.committedOrEmpty(group, topic).equals(Map.of(0, 5L, 1, 5L))))
        .as("a commits up to its waiting records, not past them")
        .isTrue();

    it.start("b", b.build(), new Consumers(pb, null, null));
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(30),
                () ->
                    RefusingPipeline.copy(accepted).stream()
                        .anyMatch(x -> x.receiver().equals("b") && x.offset() == 5)))
        .as("b took over a waiting record")
        .isTrue();
    int moved =
        RefusingPipeline.copy(accepted).stream()
            .filter(x -> x.receiver().equals("b") && x.offset() == 5)
            .findFirst()
            .orElseThrow()
            .partition();
    int kept = 1 - moved;
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(20),
                () -> it.committedOrEmpty(group, topic).getOrDefault(moved, 0L) == records))
        .as("b committed the moved partition")
        .isTrue();
    assertThat(it.committedOrEmpty(group, topic)).containsEntry(kept, 5L);

    a.shutdown(Deadline.in(Duration.ofSeconds(10)));
    assertThat(ItSupport.eventually(Duration.ofSeconds(30), () -> it.caughtUp(group, topic, 2)))
        .as("b committed both partitions to the end")
        .isTrue();

    List<Call> all = RefusingPipeline.copy(accepted);
    for (int p = 0; p < 2; p++) {
      Set<Long> got = new TreeSet<>(offsetsOf(all, null, p));
      assertThat(got)
          .as("partition %d: nothing lost", p)
          .containsExactlyElementsOf(IntStream.range(0, records).mapToObj(i -> (long) i).toList());
      assertThat(offsetsOf(all, "a", p))
          .as("a never accepted its waiting record")
          .doesNotContain(5L);
      assertThat(offsetsOf(all, "b", p).stream().filter(o -> o == 5).count())
          .as("b accepted it once")
          .isEqualTo(1);
      assertThat(offsetsOf(all, "b", p).stream().mapToLong(Long::longValue).min().orElseThrow())
          .as("partition %d: b started at the committed waiting record", p)
          .isEqualTo(5L);
    }
    System.out.printf(
        "revoke-while-waiting test: partition %d moved on b's join, %d accepted by a, %d by b"
            + " (%s)%n",
        moved,
        all.stream().filter(x -> x.receiver().equals("a")).count(),
        all.stream().filter(x -> x.receiver().equals("b")).count(),
        all.stream()
            .filter(x -> x.receiver().equals("b"))
            .map(x -> x.partition() + "/" + x.offset())
            .collect(Collectors.joining(" ")));
  }

  /**
   * A refusal that comes back at once (as {@code memory_limiter}'s does) in the middle of a fetched
   * batch: the rest of the batch is not handed over while the record waits, but fetched again
   * afterwards, and every record is still accepted, and counted as received, exactly once.
   */
  @Test
  void anImmediateRefusalInTheMiddleOfAFetchStopsTheBatchAndTheRestIsFetchedAgainOnce()
      throws Exception {
    String topic = "sync-refusal";
    int records = 12;
    topicWithOnePartition(topic, records);
    List<Call> calls = RefusingPipeline.newList();
    List<Call> accepted = RefusingPipeline.newList();
    RefusingPipeline async = new RefusingPipeline("r", calls, accepted, (p, o) -> false);
    AtomicInteger refusals = new AtomicInteger();
    TelemetryConsumer<Traces> pipeline =
        (ctx, data) ->
            ctx.first("kafka.offset").orElseThrow().equals("4") && refusals.incrementAndGet() <= 3
                ? CompletableFuture.failedFuture(
                    new RetryableException("memory usage is above the soft limit"))
                : async.consume(ctx, data);
    Settings settings =
        Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "sync-refusal"), null);
    it.start(
        settings,
        it.config("g-sync-refusal", topic, "sr-m", "sr-l").build(),
        new Consumers(pipeline, null, null));
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(30), () -> it.caughtUp("g-sync-refusal", topic, 1)))
        .as("committed to the end")
        .isTrue();
    assertThat(offsetsOf(RefusingPipeline.copy(accepted), null, 0))
        .as("every record accepted exactly once")
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, records).mapToObj(i -> (long) i).toList());
    assertThat(offsetsOf(RefusingPipeline.copy(calls), null, 0))
        .as("no record handed over twice")
        .doesNotHaveDuplicates();
    assertThat(
            counter(settings.metrics(), "otelcol_kafka_receiver_retries", Map.of("topic", topic)))
        .isEqualTo(3);
    assertThat(
            counter(
                settings.metrics(), "otelcol_kafka_receiver_records", Map.of("outcome", "success")))
        .as("records fetched again after the wait are counted once")
        .isEqualTo(records);
  }

  /**
   * With {@code on_error} and no dead-letter topic, a record refused past {@code max_elapsed_time}
   * is skipped.
   */
  @Test
  void onErrorSkipsARecordWhoseRetriesOutlastTheBackoff() throws Exception {
    String topic = "exhaust-skip";
    topicWithOnePartition(topic, 10);
    List<Call> calls = RefusingPipeline.newList();
    List<Call> accepted = RefusingPipeline.newList();
    RefusingPipeline pipeline = new RefusingPipeline("r", calls, accepted, (p, o) -> o == 3);
    ConfigBuilder b = it.config("g-exhaust-skip", topic, "es-m", "es-l");
    b.marking = new MessageMarking(true, true, true);
    b.backoff =
        new RetryConfig(
            true, Duration.ofMillis(20), 0, 1.5, Duration.ofMillis(50), Duration.ofMillis(300));
    Settings settings =
        Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "exhaust-skip"), null);
    it.start(settings, b.build(), new Consumers(pipeline, null, null));
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(30), () -> it.caughtUp("g-exhaust-skip", topic, 1)))
        .as("committed past the skipped record")
        .isTrue();
    assertThat(offsetsOf(RefusingPipeline.copy(accepted), null, 0))
        .as("every other record accepted exactly once")
        .containsExactlyInAnyOrder(0L, 1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L);
    long refusals = refusals(calls, "r", 0, 3);
    assertThat(refusals).as("retried until max_elapsed_time").isGreaterThanOrEqualTo(2);
    assertThat(
            counter(
                settings.metrics(),
                "otelcol_kafka_receiver_skipped_records",
                Map.of("reason", "retries_exhausted")))
        .isEqualTo(1);
    assertThat(
            counter(settings.metrics(), "otelcol_kafka_receiver_retries", Map.of("topic", topic)))
        .as("one retry per refusal but the last")
        .isEqualTo(refusals - 1);
  }
}
