package io.tiercel.kafka.exporter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tiercel.core.component.Settings;
import io.tiercel.kafka.common.telemetry.KafkaClientMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jspecify.annotations.Nullable;

/**
 * The exporter's {@code otelcol_kafka_exporter_records}, {@code _bytes}, {@code
 * _bytes_uncompressed} and {@code _write_latency}, labelled {@code exporter}, {@code topic}, {@code
 * partition}, {@code outcome}. The data points of a topic, partition and outcome are made on first
 * use and kept, so counting allocates nothing afterwards. Thread-safe.
 */
final class KafkaRecordMetrics {
  private static final double[] LATENCY_BUCKETS = {
    0, 0.005, 0.010, 0.025, 0.050, 0.075, 0.100, 0.250, 0.500, 0.750, 1, 2.5, 5, 7.5, 10, 25, 50,
    75, 100
  };

  /** The data points of one topic, partition and outcome. */
  record Partition(
      CounterDataPoint records,
      CounterDataPoint bytes,
      CounterDataPoint bytesUncompressed,
      DistributionDataPoint latency) {}

  private final String exporter;
  private final Supplier<@Nullable Producer<byte[], byte[]>> producer;
  // per topic: [success, failure][partition], filled on first use
  private final ConcurrentHashMap<String, AtomicReferenceArray<Partition>> byTopic =
      new ConcurrentHashMap<>();
  private final Counter records;
  private final Counter bytes;
  private final Counter bytesUncompressed;
  private final Histogram writeLatency;
  private final KafkaClientMetrics clientMetrics;
  private volatile double compressionRate = 1.0;
  private volatile long compressionRateReadNanos;

  /**
   * @param producer the exporter's producer once it started (for its compression rate), or null
   */
  KafkaRecordMetrics(Settings settings, Supplier<@Nullable Producer<byte[], byte[]>> producer) {
    this.exporter = settings.id().toString();
    this.producer = producer;
    this.clientMetrics =
        KafkaClientMetrics.producer(
            settings,
            () -> {
              Producer<byte[], byte[]> p = producer.get();
              return p == null ? null : p.metrics();
            });
    var m = settings.metrics();
    String[] labels = {"exporter", "topic", "partition", "outcome"};
    records =
        m.counter("otelcol_kafka_exporter_records", "The number of exported records.", labels);
    bytes =
        m.counter(
            "otelcol_kafka_exporter_bytes",
            "The size in bytes of exported records as written (compressed; estimated from the"
                + " producer's compression rate).",
            labels);
    bytesUncompressed =
        m.counter(
            "otelcol_kafka_exporter_bytes_uncompressed",
            "The uncompressed size in bytes of exported records.",
            labels);
    writeLatency =
        m.histogram(
            "otelcol_kafka_exporter_write_latency",
            "The time it took in seconds to export a batch of records: per attempt and partition,"
                + " from the attempt's first send to the acknowledgement of its last record on that"
                + " partition.",
            LATENCY_BUCKETS,
            labels);
  }

  /** The size a record adds to the byte counters: its value and key. */
  static int size(ProducerRecord<byte[], byte[]> r) {
    return r.value().length + (r.key() == null ? 0 : r.key().length);
  }

  /** Counts one record on its own, with the time since {@code startNanos} as its latency. */
  void observe(ProducerRecord<byte[], byte[]> r, boolean ok, long startNanos) {
    int partition = r.partition() == null ? -1 : r.partition();
    Partition m = of(r.topic(), partition, ok);
    int size = size(r);
    m.records().inc();
    m.bytesUncompressed().inc(size);
    m.bytes().inc(Math.round(size * compressionRate()));
    m.latency().observe((System.nanoTime() - startNanos) / 1e9);
  }

  /** The data points of {@code topic}, {@code partition} (-1: none) and an outcome. */
  Partition of(String topic, int partition, boolean ok) {
    int slot = partition < 0 ? -1 : 2 * partition + (ok ? 0 : 1);
    var cached = byTopic.get(topic);
    if (cached != null && slot >= 0 && slot < cached.length()) {
      Partition m = cached.get(slot);
      if (m != null) {
        return m;
      }
    }
    String[] v = {exporter, topic, Integer.toString(partition), ok ? "success" : "failure"};
    Partition m =
        new Partition(
            records.labelValues(v),
            bytes.labelValues(v),
            bytesUncompressed.labelValues(v),
            writeLatency.labelValues(v));
    if (slot >= 0) {
      byTopic.compute(
          topic,
          (k, old) -> {
            var a = old;
            if (a == null || slot >= a.length()) {
              a = new AtomicReferenceArray<Partition>(Math.max(slot + 1, 24));
              if (old != null) {
                for (int i = 0; i < old.length(); i++) {
                  a.set(i, old.get(i));
                }
              }
            }
            a.compareAndSet(slot, null, m);
            return a;
          });
    }
    return m;
  }

  /**
   * The producer's average compression rate (compressed/uncompressed), re-read at most once a
   * second.
   */
  double compressionRate() {
    long now = System.nanoTime();
    if (now - compressionRateReadNanos > 1_000_000_000L) {
      compressionRateReadNanos = now;
      Producer<byte[], byte[]> p = producer.get();
      if (p != null) {
        for (Map.Entry<MetricName, ? extends Metric> e : p.metrics().entrySet()) {
          if (e.getKey().name().equals("compression-rate-avg")
              && e.getKey().group().equals("producer-metrics")) {
            Object v = e.getValue().metricValue();
            if (v instanceof Double d && d > 0 && !d.isNaN() && !d.isInfinite()) {
              compressionRate = d;
            }
          }
        }
      }
    }
    return compressionRate;
  }

  /** Stops reading the producer's own metrics (the exporter stopped). */
  void close() {
    clientMetrics.close();
  }
}
