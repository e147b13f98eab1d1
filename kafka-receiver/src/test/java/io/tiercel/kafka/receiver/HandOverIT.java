package io.tiercel.kafka.receiver;

import static io.tiercel.kafka.receiver.KafkaReceiverIT.counter;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.testing.TestData;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hand_over: fetch} (the default): the records of one poll and partition go to the pipeline
 * as one request naming every offset it covers, and each record still finishes, retries and commits
 * on its own.
 */
@KafkaBrokerTest
class HandOverIT {
  static KafkaBroker broker;
  private final ItSupport it = new ItSupport(broker);

  /** One call: the offsets its context names, its spans, its tenant header, whether refused. */
  record Call(List<Long> offsets, int spans, String tenant, boolean refused) {}

  private static final Executor LATER = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);

  @AfterEach
  void stopReceivers() throws Exception {
    it.stopAll();
  }

  /** Answers after 1 ms on another thread; refuses (retryably) the calls {@code refuse} picks. */
  private static TelemetryConsumer<Traces> pipeline(
      List<Call> calls, List<Call> accepted, Predicate<List<Long>> refuse) {
    return (ctx, data) -> {
      List<Long> offsets = ctx.get("kafka.offset").stream().map(Long::parseLong).toList();
      Call c = new Call(offsets, data.itemCount(), tenant(ctx), refuse.test(offsets));
      calls.add(c);
      return CompletableFuture.runAsync(
          () -> {
            if (c.refused()) {
              throw new RetryableException("exporter queue is full");
            }
            accepted.add(c);
          },
          LATER);
    };
  }

  private static String tenant(Context ctx) {
    return ctx.first("tenant").orElse("");
  }

  private static List<Long> offsets(List<Call> calls) {
    synchronized (calls) {
      return calls.stream().flatMap(c -> c.offsets().stream()).toList();
    }
  }

  private static List<Long> range(int n) {
    return IntStream.range(0, n).mapToObj(i -> (long) i).toList();
  }

  private static List<byte[]> spans(int n, int seed) {
    return IntStream.range(0, n).mapToObj(i -> TestData.traces(1, 1, seed + i).bytes()).toList();
  }

  private ConfigBuilder fetchConfig(String group, String topic) {
    ConfigBuilder b = it.config(group, topic, group + "-m", group + "-l");
    b.handOver = HandOver.FETCH;
    return b;
  }

  @Test
  void oneRequestPerFetchAndPartitionCoversEveryOffsetOnceAndCommitsToTheEnd() throws Exception {
    String topic = "hand-over-fetch";
    int records = 300;
    broker.createTopic(topic, 1);
    it.produce(topic, 0, spans(records, 0), Map.of());
    List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    List<Call> accepted = Collections.synchronizedList(new ArrayList<>());
    Settings settings = Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "fetch"), null);
    it.start(
        settings,
        fetchConfig("g-hand-over", topic).build(),
        new Consumers(pipeline(calls, accepted, o -> false), null, null));
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(30), () -> it.caughtUp("g-hand-over", topic, 1)))
        .as("committed to the end")
        .isTrue();
    assertThat(offsets(accepted)).containsExactlyElementsOf(range(records));
    List<Call> all;
    synchronized (calls) {
      all = new ArrayList<>(calls);
    }
    assertThat(all.size()).as("fewer calls than records").isLessThan(records);
    for (Call c : all) {
      assertThat(c.spans()).as("one span per record").isEqualTo(c.offsets().size());
      assertThat(c.offsets())
          .as("consecutive offsets")
          .containsExactlyElementsOf(
              IntStream.range(0, c.offsets().size())
                  .mapToObj(i -> c.offsets().get(0) + i)
                  .toList());
    }
    assertThat(
            counter(
                settings.metrics(), "otelcol_kafka_receiver_records", Map.of("outcome", "success")))
        .isEqualTo(records);
  }

  @Test
  void aRefusedRequestIsRetriedRecordByRecordAndEachRecordIsAcceptedOnce() throws Exception {
    String topic = "hand-over-refused";
    int records = 200;
    broker.createTopic(topic, 1);
    it.produce(topic, 0, spans(records, 1000), Map.of());
    List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    List<Call> accepted = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean refusedOnce = new AtomicBoolean();
    Settings settings = Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", "refused"), null);
    it.start(
        settings,
        fetchConfig("g-hand-over-refused", topic).build(),
        new Consumers(
            pipeline(
                calls,
                accepted,
                o -> o.size() > 1 && o.contains(10L) && refusedOnce.compareAndSet(false, true)),
            null,
            null));
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(30), () -> it.caughtUp("g-hand-over-refused", topic, 1)))
        .as("committed to the end")
        .isTrue();
    assertThat(refusedOnce).as("a request of several records was refused").isTrue();
    assertThat(offsets(accepted))
        .as("every record accepted exactly once")
        .containsExactlyInAnyOrderElementsOf(range(records));
    Call refused;
    List<Call> after;
    synchronized (calls) {
      refused = calls.stream().filter(Call::refused).findFirst().orElseThrow();
      after = new ArrayList<>(calls.subList(calls.indexOf(refused) + 1, calls.size()));
    }
    assertThat(
            after.stream()
                .filter(c -> !Collections.disjoint(c.offsets(), refused.offsets()))
                .toList())
        .as("the refused records went back one by one")
        .allSatisfy(c -> assertThat(c.offsets()).hasSize(1))
        .extracting(c -> c.offsets().get(0))
        .containsExactlyInAnyOrderElementsOf(refused.offsets());
    assertThat(
            counter(settings.metrics(), "otelcol_kafka_receiver_retries", Map.of("topic", topic)))
        .as("each record of the refused request retried")
        .isEqualTo(refused.offsets().size());
    assertThat(
            counter(
                settings.metrics(), "otelcol_kafka_receiver_records", Map.of("outcome", "success")))
        .isEqualTo(records);
  }

  @Test
  void recordsWithOtherHeadersGoInTheirOwnRequest() throws Exception {
    String topic = "hand-over-headers";
    broker.createTopic(topic, 1);
    it.produce(topic, 0, spans(20, 2000), Map.of("tenant", "a"));
    it.produce(topic, 0, spans(20, 3000), Map.of("tenant", "b"));
    List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    List<Call> accepted = Collections.synchronizedList(new ArrayList<>());
    it.start(
        "headers",
        fetchConfig("g-hand-over-headers", topic).build(),
        new Consumers(pipeline(calls, accepted, o -> false), null, null));
    assertThat(
            ItSupport.eventually(
                Duration.ofSeconds(30), () -> it.caughtUp("g-hand-over-headers", topic, 1)))
        .isTrue();
    assertThat(offsets(accepted)).containsExactlyInAnyOrderElementsOf(range(40));
    synchronized (accepted) {
      assertThat(accepted)
          .allSatisfy(
              c ->
                  assertThat(c.offsets())
                      .allSatisfy(o -> assertThat(c.tenant()).isEqualTo(o < 20 ? "a" : "b")));
    }
  }
}
