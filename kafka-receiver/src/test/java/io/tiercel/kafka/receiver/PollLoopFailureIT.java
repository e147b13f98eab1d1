package io.tiercel.kafka.receiver;

import static io.tiercel.kafka.receiver.KafkaReceiverIT.counter;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.component.StatusRegistry.Status;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an exception on the poll thread does: thrown while records are handed to the pipeline, it
 * fails that hand-over only (its records are retried, nothing is committed before it is accepted,
 * the loop goes on); an {@link Error} ends the loop and the receiver reports {@code FATAL_ERROR},
 * so the health check turns unhealthy instead of the receiver going quiet.
 */
@KafkaBrokerTest
class PollLoopFailureIT {
  static KafkaBroker broker;
  private final ItSupport it = new ItSupport(broker);

  @AfterEach
  void stopReceivers() throws Exception {
    it.stopAll();
  }

  private static List<byte[]> spans(int n) {
    return IntStream.range(0, n).mapToObj(i -> TestData.traces(1, 1, i).bytes()).toList();
  }

  private static int partitionOf(Context ctx) {
    return Integer.parseInt(ctx.first("kafka.partition").orElseThrow());
  }

  private static List<Long> offsetsOf(Context ctx) {
    return ctx.get("kafka.offset").stream().map(Long::parseLong).toList();
  }

  @Test
  void aRuntimeExceptionThrownByThePipelineFailsOnlyThatHandOverAndEveryRecordArrivesAfterwards()
      throws Exception {
    String topic = "poll-loop-throws";
    String group = "g-poll-loop-throws";
    int partitions = 2;
    int records = 200;
    int throwing = 6;
    broker.createTopic(topic, partitions);
    it.produce(topic, null, spans(records), Map.of());

    AtomicInteger calls = new AtomicInteger();
    AtomicInteger thrown = new AtomicInteger();
    AtomicInteger mismatched = new AtomicInteger();
    Map<Integer, Set<Long>> accepted = new ConcurrentHashMap<>();
    List<String> acceptedInOrder = Collections.synchronizedList(new ArrayList<>());
    TelemetryConsumer<Traces> pipeline =
        (ctx, data) -> {
          if (calls.incrementAndGet() <= throwing) {
            thrown.incrementAndGet();
            throw new IllegalStateException("a processor's bug: join failed"); // not a future
          }
          int p = partitionOf(ctx);
          List<Long> offsets = offsetsOf(ctx);
          if (data.itemCount() != offsets.size()) {
            mismatched.incrementAndGet(); // one span per record
          }
          for (long o : offsets) {
            acceptedInOrder.add(p + ":" + o);
          }
          accepted.computeIfAbsent(p, k -> ConcurrentHashMap.newKeySet()).addAll(offsets);
          return CompletableFuture.completedFuture(null);
        };
    ConfigBuilder cfg = it.config(group, topic, group + "-m", group + "-l");
    cfg.handOver = HandOver.FETCH; // the default: requests join several records
    Settings settings = Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "throws"), null);
    TestHost host = TestHost.create();
    it.start(settings, cfg.build(), new Consumers(pipeline, null, null), host);

    // at-least-once: whenever a committed offset is read, every record before it was accepted
    // (committed is read first, accepted after: accepted only grows)
    List<String> committedTooEarly = new ArrayList<>();
    boolean caughtUp =
        ItSupport.eventually(
            Duration.ofSeconds(60),
            () -> {
              Map<Integer, Long> committed = it.committedOrEmpty(group, topic);
              committed.forEach(
                  (p, c) -> {
                    Set<Long> done = accepted.getOrDefault(p, Set.of());
                    for (long o = 0; o < c; o++) {
                      if (!done.contains(o)) {
                        committedTooEarly.add(p + ":" + o + " (committed " + c + ")");
                        return;
                      }
                    }
                  });
              return it.caughtUp(group, topic, partitions);
            });

    assertThat(caughtUp).as("committed to the end after the thrown hand-overs").isTrue();
    assertThat(committedTooEarly)
        .as("offsets committed before their record was accepted")
        .isEmpty();
    assertThat(thrown.get()).isEqualTo(throwing);
    assertThat(mismatched.get()).as("requests whose spans do not match their offsets").isZero();
    Map<Integer, Long> ends = it.endOffsets(topic, partitions);
    List<String> expected = new ArrayList<>();
    ends.forEach((p, end) -> LongStream.range(0, end).forEach(o -> expected.add(p + ":" + o)));
    assertThat(expected).hasSize(records);
    assertThat(acceptedInOrder)
        .as("every record accepted exactly once")
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(
            counter(settings.metrics(), "otelcol_kafka_receiver_records", Map.of("topic", topic)))
        .as("each record counted once on the way in")
        .isEqualTo(records);
    assertThat(
            counter(settings.metrics(), "otelcol_kafka_receiver_retries", Map.of("topic", topic)))
        .as("each record of a thrown hand-over is retried")
        .isGreaterThanOrEqualTo(throwing);
    StatusRegistry.Entry status = host.status().snapshot().get("receiver/kafka/throws");
    assertThat(status.status()).as("the loop went on").isEqualTo(Status.OK);
  }

  @Test
  void anErrorOnThePollThreadEndsTheLoopAndReportsFatalErrorWithoutCommitting() throws Exception {
    String topic = "poll-loop-fatal";
    String group = "g-poll-loop-fatal";
    int records = 20;
    broker.createTopic(topic, 1);
    it.produce(topic, 0, spans(records), Map.of());
    AtomicInteger calls = new AtomicInteger();
    TelemetryConsumer<Traces> pipeline =
        (ctx, data) -> {
          calls.incrementAndGet();
          throw new AssertionError("an invariant broke in a processor");
        };
    Settings settings = Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "fatal"), null);
    TestHost host = TestHost.create();
    it.start(
        settings,
        it.config(group, topic, group + "-m", group + "-l").build(),
        new Consumers(pipeline, null, null),
        host);
    String key = "receiver/kafka/fatal";

    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(30),
                () -> {
                  StatusRegistry.Entry e = host.status().snapshot().get(key);
                  return e != null && e.status() == Status.FATAL_ERROR;
                }))
        .as("the failed poll loop is reported")
        .isTrue();
    StatusRegistry.Entry e = host.status().snapshot().get(key);
    assertThat(e.error())
        .contains("poll loop failed")
        .contains("an invariant broke in a processor");
    assertThat(host.status().allUp()).as("what the health check answers").isFalse();
    assertThat(calls.get()).as("the loop stopped at the first failure").isEqualTo(1);
    Thread.sleep(500); // time for a commit, had one been made
    assertThat(it.committedOrEmpty(group, topic).getOrDefault(0, 0L))
        .as("nothing accepted, nothing committed")
        .isZero();
    assertThat(host.status().snapshot().get(key).status()).isEqualTo(Status.FATAL_ERROR);
  }
}
