package io.tiercel.distributions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Factory;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.processors.tailsampling.TailSamplingFactory;
import io.tiercel.testing.TestData;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import io.tiercel.testing.process.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The Kafka receiver's {@code max_in_flight} window in front of tail_sampling: a record stays
 * unfinished until every trace in it was decided, so about {@code decision_wait} (+ up to one
 * tick). With a window of W records the partition pauses once W are unfinished and a partition
 * moves at most ~W records per {@code decision_wait}: a backlog of N records needs at least {@code
 * (N / W - 1) x decision_wait}. Sized for the rate, the same backlog goes through in about one
 * decision_wait. Both drains are printed; the lower bound is asserted (it is what the pause
 * guarantees: nothing about speed), and every span arrives either way.
 *
 * <p>Sizing rule: {@code max_in_flight.records >= records/s per partition x (decision_wait + tick)}
 * (bytes likewise), or the partition's throughput caps at {@code records / (decision_wait + tick)}.
 * One fetch may pass the bound by up to {@code max.poll.records}, so the test sets {@code
 * max.poll.records} to the window.
 */
@KafkaBrokerTest
class InFlightWindowIT {
  private static final int RECORDS = 300;
  private static final Duration DECISION_WAIT = Duration.ofSeconds(1);

  static KafkaBroker broker;

  @Test
  void aWindowSmallerThanDecisionWaitWorthOfRecordsCapsThePartition() throws Exception {
    Path dir = TwoTiers.workDir("InFlightWindowIT");
    broker.createTopic("window", 1);
    try (KafkaProducer<byte[], byte[]> p = broker.producer(java.util.Map.of())) {
      for (int i = 0; i < RECORDS; i++) {
        p.send(new ProducerRecord<>("window", TestData.tracesData(1, 2, 50_000 + i).toByteArray()));
      }
      p.flush();
    }
    int small = 30;
    long smallNanos = drain(dir, "small", small);
    long largeNanos = drain(dir, "large", RECORDS);
    double smallSeconds = smallNanos / 1e9;
    double largeSeconds = largeNanos / 1e9;
    System.out.printf(
        "max_in_flight vs decision_wait %d ms: %d records in one partition; window %d records: %.1f"
            + " s (%.0f records/s, cap %d / %.1f s = %.0f/s); window %d: %.1f s (%.0f records/s)%n",
        DECISION_WAIT.toMillis(),
        RECORDS,
        small,
        smallSeconds,
        RECORDS / smallSeconds,
        small,
        DECISION_WAIT.toMillis() / 1000.0 + 0.1,
        small / (DECISION_WAIT.toMillis() / 1000.0 + 0.1),
        RECORDS,
        largeSeconds,
        RECORDS / largeSeconds);
    assertThat(smallNanos)
        .as("the partition paused at the window: at least (N / W - 1) x decision_wait")
        .isGreaterThanOrEqualTo((RECORDS / small - 1) * DECISION_WAIT.toNanos());
  }

  /**
   * Every component, with tail_sampling's decision thread looking for due traces every {@code tick}
   * (not user config: the factory's developer setting), so that a record is finished soon after its
   * decision_wait.
   */
  private static ComponentRegistry registryWithTick(Duration tick) {
    List<Factory<?>> factories = new ArrayList<>();
    for (Factory<?> f : ServiceLoader.load(Factory.class)) {
      factories.add(f instanceof TailSamplingFactory ? new TailSamplingFactory(tick) : f);
    }
    return ComponentRegistry.of(factories);
  }

  /**
   * Runs a group over the topic from the start until it committed every record; returns the
   * nanoseconds taken.
   */
  private static long drain(Path dir, String name, int window) throws Exception {
    Path out = dir.resolve(name + ".otlp");
    Path yaml =
        Files.writeString(
            dir.resolve(name + ".yaml"),
            """
            receivers:
              kafka:
                brokers: [%s]
                group_id: window-%s
                initial_offset: earliest
                autocommit: {enable: true, interval: 100ms}
                traces: {topics: [window]}
                max_in_flight: {records: %d}
                consumer_config: {max.poll.records: %d}
            processors:
              tail_sampling:
                decision_wait: %dms
                policies: [{name: all, type: always_sample}]
            exporters:
              file: {path: %s, format: proto}
            service:
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [kafka], processors: [tail_sampling], exporters: [file]}
            """
                .formatted(
                    broker.bootstrapServers(),
                    name,
                    window,
                    window,
                    DECISION_WAIT.toMillis(),
                    out));
    Service s =
        new Service(
            new ConfigLoader(registryWithTick(Duration.ofMillis(100)), System::getenv)
                .load(List.of(yaml.toString()), List.of()),
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC());
    long t0 = System.nanoTime();
    s.start();
    try {
      Await.until(
          name + ": every record committed",
          Duration.ofSeconds(120),
          Duration.ofMillis(50),
          () -> TwoTiers.drained(broker, "window", "window-" + name),
          d -> d,
          () -> "");
      return System.nanoTime() - t0;
    } finally {
      s.shutdown(Duration.ofSeconds(10));
      assertThat(TwoTiers.read(out).spans())
          .as(name + ": every span exported")
          .isEqualTo(RECORDS * 2);
    }
  }
}
