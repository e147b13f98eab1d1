package io.tiercel.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic from the beginning with a raw {@code KafkaConsumer} (assign + seek, no
 * group), counting spans on the wire. Two uses: in the background while the ingestion tier writes
 * (what arrived, and the age of each record when read: the latency), and in the foreground as the
 * processing baseline (a raw consumer draining the same records the tier drains).
 */
final class TopicReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile LatencyHistogram latency = new LatencyHistogram();
  private volatile long measureFromMicros = Long.MAX_VALUE;
  private volatile boolean running = true;
  private Thread thread;

  TopicReader(String bootstrap, String topic) {
    Map<String, Object> cfg =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    consumer = new KafkaConsumer<>(cfg);
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
      parts.add(new TopicPartition(topic, p.partition()));
    }
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
  }

  /** Reads in a background thread until {@link #close()}. */
  TopicReader startBackground() {
    thread =
        new Thread(
            () -> {
              try {
                while (running) {
                  poll();
                }
              } catch (RuntimeException e) {
                failure.set(e);
              }
            },
            "load-topic-reader");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Reads in this thread until {@code expectedSpans} spans were read; false on timeout. */
  boolean drain(long expectedSpans, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (spans.get() < expectedSpans && System.nanoTime() < end) {
      poll();
    }
    return spans.get() >= expectedSpans;
  }

  private void poll() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
      long now = Pacer.nowMicros();
      long from = measureFromMicros;
      LatencyHistogram h = latency;
      long[] sent = {-1};
      int n =
          SpanWire.forEachSpan(
              r.value(),
              (b, off) -> {
                if (sent[0] < 0 && off >= 0) {
                  sent[0] = SpanWire.readLong(b, off);
                }
              });
      if (sent[0] >= from) {
        h.record(now - sent[0], n);
      }
      spans.addAndGet(n);
      records.incrementAndGet();
      bytes.addAndGet(r.serializedValueSize() + Math.max(0, r.serializedKeySize()));
    }
  }

  /** A new latency histogram holding only records sent at or after {@code fromMicros}. */
  LatencyHistogram measureFrom(long fromMicros) {
    LatencyHistogram h = new LatencyHistogram();
    latency = h;
    measureFromMicros = fromMicros;
    return h;
  }

  /** Waits (background mode) until {@code expectedSpans} spans were read; false on timeout. */
  boolean await(long expectedSpans, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (spans.get() < expectedSpans && System.nanoTime() < end && failure.get() == null) {
      Thread.sleep(20);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("reading the topic failed", failure.get());
    }
    return spans.get() >= expectedSpans;
  }

  long spans() {
    return spans.get();
  }

  long records() {
    return records.get();
  }

  long bytes() {
    return bytes.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join(5000);
    }
    consumer.close();
  }
}
