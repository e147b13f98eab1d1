package io.tiercel.kafka.receiver;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Broker-side helpers shared by the receiver's integration tests. */
final class ItSupport {
  private final KafkaBroker broker;
  private final List<Receiver> started = new ArrayList<>();

  ItSupport(KafkaBroker broker) {
    this.broker = broker;
  }

  /**
   * A config reading the given topics from the beginning, committing every 100 ms, retrying fast,
   * one pipeline call per record (the tests that look at single records; {@code hand_over: fetch}
   * has its own tests).
   */
  ConfigBuilder config(String group, String spans, String metrics, String logs) {
    ConfigBuilder b = new ConfigBuilder();
    b.handOver = HandOver.RECORD;
    b.brokers = List.of(broker.bootstrapServers());
    b.groupId = group;
    b.initialOffset = InitialOffset.EARLIEST;
    b.autocommit = new AutoCommit(true, Duration.ofMillis(100));
    b.backoff =
        new RetryConfig(true, Duration.ofMillis(20), 0.2, 2, Duration.ofMillis(200), Duration.ZERO);
    b.traces = SignalTopics.of(spans);
    b.metrics = SignalTopics.of(metrics);
    b.logs = SignalTopics.of(logs);
    b.sessionTimeout = Duration.ofSeconds(10);
    b.heartbeatInterval = Duration.ofSeconds(1);
    b.revokeTimeout = Duration.ofSeconds(3);
    return b;
  }

  /** Creates and starts a receiver; {@link #stopAll} shuts down those still running. */
  Receiver start(String name, KafkaReceiverConfig cfg, Consumers next) throws Exception {
    return start(Settings.forTest(Kind.RECEIVER, new ComponentId("kafka", name), null), cfg, next);
  }

  Receiver start(Settings settings, KafkaReceiverConfig cfg, Consumers next) throws Exception {
    return start(settings, cfg, next, TestHost.create());
  }

  /** As {@link #start(Settings, KafkaReceiverConfig, Consumers)}, on {@code host} (extensions). */
  Receiver start(
      Settings settings,
      KafkaReceiverConfig cfg,
      Consumers next,
      io.tiercel.core.component.Host host)
      throws Exception {
    Receiver r = new KafkaReceiverFactory().create(settings, cfg, next);
    r.start(host);
    started.add(r);
    return r;
  }

  void stopAll() throws Exception {
    for (Receiver r : started) {
      r.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    started.clear();
  }

  /**
   * Sends values to {@code topic} (round-robin over partitions when {@code partition} is null) and
   * flushes.
   */
  void produce(String topic, Integer partition, List<byte[]> values, Map<String, String> headers) {
    try (KafkaProducer<byte[], byte[]> p =
        broker.producer(
            Map.of("acks", "all", "linger.ms", 5, "max.in.flight.requests.per.connection", 1))) {
      for (byte[] v : values) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach((k, x) -> h.add(k, x.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        p.send(new ProducerRecord<byte[], byte[]>(topic, partition, (byte[]) null, v, h));
      }
      p.flush();
    }
  }

  /** The group's committed offsets of {@code topic} by partition (absent partitions have none). */
  Map<Integer, Long> committed(String group, String topic) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> m =
        broker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<Integer, Long> out = new TreeMap<>();
    m.forEach(
        (tp, om) -> {
          if (tp.topic().equals(topic) && om != null) {
            out.put(tp.partition(), om.offset());
          }
        });
    return out;
  }

  /** The end offsets of {@code topic}'s partitions {@code 0..n-1}. */
  Map<Integer, Long> endOffsets(String topic, int n) throws Exception {
    Map<TopicPartition, OffsetSpec> q =
        IntStream.range(0, n)
            .boxed()
            .collect(Collectors.toMap(i -> new TopicPartition(topic, i), i -> OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r =
        broker.admin().listOffsets(q).all().get();
    Map<Integer, Long> out = new TreeMap<>();
    r.forEach((tp, info) -> out.put(tp.partition(), info.offset()));
    return out;
  }

  /**
   * The group's lag on {@code topic}: end offsets minus committed offsets (0 for a partition never
   * committed).
   */
  long lag(String group, String topic, int partitions) throws Exception {
    Map<Integer, Long> committed = committed(group, topic);
    long lag = 0;
    for (var e : endOffsets(topic, partitions).entrySet()) {
      lag += e.getValue() - committed.getOrDefault(e.getKey(), 0L);
    }
    return lag;
  }

  /**
   * Whether the group's lag on {@code topic} is 0 (false while the broker cannot tell), for {@link
   * #eventually}.
   */
  boolean caughtUp(String group, String topic, int partitions) {
    try {
      return lag(group, topic, partitions) == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** {@link #committed}, or an empty map while the broker cannot tell, for {@link #eventually}. */
  Map<Integer, Long> committedOrEmpty(String group, String topic) {
    try {
      return committed(group, topic);
    } catch (Exception e) {
      return Map.of();
    }
  }

  /**
   * Polls {@code condition} every 20 ms until it holds or {@code timeout} passes; returns whether
   * it held.
   */
  static boolean eventually(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }
}
