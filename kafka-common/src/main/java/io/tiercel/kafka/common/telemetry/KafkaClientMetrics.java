package io.tiercel.kafka.common.telemetry;

import io.tiercel.core.component.Settings;
import io.tiercel.core.telemetry.CallbackFamily;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka client metrics operators watch, read from a producer's or consumer's {@code metrics()}
 * map at every scrape (nothing on the hot path), under {@code otelcol_kafka_producer_*} (labels
 * {@code exporter} and {@code data_type}: an exporter has a producer per signal) and {@code
 * otelcol_kafka_consumer_*} (label {@code receiver}; per-partition lag adds {@code topic} and
 * {@code partition}); latencies in seconds. The collector's client-wide {@code
 * otelcol_kafka_broker_connects} and {@code otelcol_kafka_broker_closed} come from the client's
 * connection counters, labelled with the component's kind and id (the Java client counts
 * connections per client, not per broker, so there is no {@code node_id}). docs/TELEMETRY.md lists
 * each name with the client metric it reads. A client not yet created, or closed, has no points.
 */
public final class KafkaClientMetrics implements AutoCloseable {
  /** One exported metric: the Kafka metric group and name it reads, and how. */
  private record Spec(
      String name,
      String help,
      boolean counter,
      String group,
      String kafkaName,
      double scale,
      boolean perPartition) {}

  private static final String PRODUCER = "producer-metrics";
  private static final String FETCH = "consumer-fetch-manager-metrics";
  private static final String COORDINATOR = "consumer-coordinator-metrics";
  private static final double MS = 0.001;

  static final List<Spec> PRODUCER_SPECS =
      List.of(
          gauge(
              "otelcol_kafka_producer_request_latency_avg",
              "Average produce request latency in seconds.",
              PRODUCER,
              "request-latency-avg",
              MS),
          gauge(
              "otelcol_kafka_producer_request_latency_max",
              "Maximum produce request latency in seconds.",
              PRODUCER,
              "request-latency-max",
              MS),
          gauge(
              "otelcol_kafka_producer_requests_in_flight",
              "Produce requests sent and awaiting a response.",
              PRODUCER,
              "requests-in-flight",
              1),
          counter(
              "otelcol_kafka_producer_record_errors",
              "Records whose send failed.",
              PRODUCER,
              "record-error-total"),
          counter(
              "otelcol_kafka_producer_record_retries",
              "Record sends retried by the producer.",
              PRODUCER,
              "record-retry-total"),
          counter(
              "otelcol_kafka_producer_records_sent",
              "Records sent by the producer.",
              PRODUCER,
              "record-send-total"),
          gauge(
              "otelcol_kafka_producer_record_send_rate",
              "Records sent per second (the client's moving window).",
              PRODUCER,
              "record-send-rate",
              1),
          gauge(
              "otelcol_kafka_producer_buffer_available_bytes",
              "Bytes of the producer's buffer memory not in use.",
              PRODUCER,
              "buffer-available-bytes",
              1));

  static final List<Spec> CONSUMER_SPECS =
      List.of(
          gauge(
              "otelcol_kafka_consumer_records_lag_max",
              "The largest lag in records of any partition this consumer fetches (moving window).",
              FETCH,
              "records-lag-max",
              1),
          new Spec(
              "otelcol_kafka_consumer_records_lag",
              "Lag in records of a partition this consumer fetches (log end offset minus the"
                  + " position).",
              false,
              FETCH,
              "records-lag",
              1,
              true),
          gauge(
              "otelcol_kafka_consumer_fetch_rate",
              "Fetch requests per second.",
              FETCH,
              "fetch-rate",
              1),
          gauge(
              "otelcol_kafka_consumer_fetch_latency_avg",
              "Average fetch request latency in seconds.",
              FETCH,
              "fetch-latency-avg",
              MS),
          gauge(
              "otelcol_kafka_consumer_records_consumed_rate",
              "Records consumed per second.",
              FETCH,
              "records-consumed-rate",
              1),
          counter(
              "otelcol_kafka_consumer_rebalances",
              "Rebalances this consumer took part in.",
              COORDINATOR,
              "rebalance-total"),
          counter(
              "otelcol_kafka_consumer_failed_rebalances",
              "Rebalances that failed.",
              COORDINATOR,
              "failed-rebalance-total"),
          gauge(
              "otelcol_kafka_consumer_assigned_partitions",
              "Partitions currently assigned to this consumer.",
              COORDINATOR,
              "assigned-partitions",
              1),
          counter(
              "otelcol_kafka_consumer_commits",
              "Offset commit requests.",
              COORDINATOR,
              "commit-total"),
          gauge(
              "otelcol_kafka_consumer_commit_latency_avg",
              "Average offset commit latency in seconds.",
              COORDINATOR,
              "commit-latency-avg",
              MS),
          gauge(
              "otelcol_kafka_consumer_commit_latency_max",
              "Maximum offset commit latency in seconds.",
              COORDINATOR,
              "commit-latency-max",
              MS));

  private final List<Runnable> removals = new ArrayList<>();

  private KafkaClientMetrics() {}

  /** The producer metrics of an exporter (or the dead-letter producer of a receiver). */
  public static KafkaClientMetrics producer(
      Settings settings, Supplier<@Nullable Map<MetricName, ? extends Metric>> metrics) {
    return register(settings, metrics, "exporter", PRODUCER_SPECS, PRODUCER);
  }

  /** The consumer metrics of a receiver. */
  public static KafkaClientMetrics consumer(
      Settings settings, Supplier<@Nullable Map<MetricName, ? extends Metric>> metrics) {
    return register(settings, metrics, "receiver", CONSUMER_SPECS, "consumer-metrics");
  }

  private static KafkaClientMetrics register(
      Settings settings,
      Supplier<@Nullable Map<MetricName, ? extends Metric>> metrics,
      String label,
      List<Spec> specs,
      String connectionGroup) {
    KafkaClientMetrics out = new KafkaClientMetrics();
    MetricsRegistry m = settings.metrics();
    String id = settings.id().toString();
    // an exporter is built once per signal, each with its own producer: data_type tells them apart
    String[] labels =
        settings.signal() != null ? new String[] {label, "data_type"} : new String[] {label};
    String[] values =
        settings.signal() != null ? new String[] {id, settings.signal().id()} : new String[] {id};
    for (Spec s : specs) {
      String[] names = s.perPartition() ? concat(labels, "topic", "partition") : labels;
      CallbackFamily f =
          s.counter()
              ? m.callbackCounters(s.name(), s.help(), names)
              : m.callbackGauges(s.name(), s.help(), names);
      out.removals.add(f.add(points -> read(metrics.get(), s, values, points)));
    }
    String kind = settings.kind().label();
    CallbackFamily connects =
        m.callbackCounters(
            "otelcol_kafka_broker_connects",
            "Connections the Kafka client opened.",
            "otelcol_component_kind",
            "otelcol_component_id",
            "outcome");
    out.removals.add(
        connects.add(
            points ->
                value(metrics.get(), connectionGroup, "connection-creation-total")
                    .ifPresent(v -> points.point(v, kind, id, "success"))));
    CallbackFamily closed =
        m.callbackCounters(
            "otelcol_kafka_broker_closed",
            "Connections the Kafka client closed.",
            "otelcol_component_kind",
            "otelcol_component_id");
    out.removals.add(
        closed.add(
            points ->
                value(metrics.get(), connectionGroup, "connection-close-total")
                    .ifPresent(v -> points.point(v, kind, id))));
    return out;
  }

  private static void read(
      @Nullable Map<MetricName, ? extends Metric> all,
      Spec s,
      String[] values,
      CallbackFamily.Points points) {
    if (all == null) {
      return;
    }
    for (Map.Entry<MetricName, ? extends Metric> e : all.entrySet()) {
      MetricName n = e.getKey();
      if (!n.name().equals(s.kafkaName()) || !n.group().equals(s.group())) {
        continue;
      }
      String topic = n.tags().get("topic");
      String partition = n.tags().get("partition");
      boolean partitionLevel = topic != null && partition != null;
      if (partitionLevel != s.perPartition() || (!s.perPartition() && topic != null)) {
        continue; // the client-wide value only (per-topic and per-partition twins share the name)
      }
      if (!(e.getValue().metricValue() instanceof Number v)) {
        continue;
      }
      double value = v.doubleValue() * s.scale();
      points.point(value, s.perPartition() ? concat(values, topic, partition) : values);
    }
  }

  private static java.util.OptionalDouble value(
      @Nullable Map<MetricName, ? extends Metric> all, String group, String name) {
    if (all == null) {
      return java.util.OptionalDouble.empty();
    }
    for (Map.Entry<MetricName, ? extends Metric> e : all.entrySet()) {
      if (e.getKey().name().equals(name)
          && e.getKey().group().equals(group)
          && e.getValue().metricValue() instanceof Number v) {
        return java.util.OptionalDouble.of(v.doubleValue());
      }
    }
    return java.util.OptionalDouble.empty();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Spec gauge(
      String name, String help, String group, String kafkaName, double scale) {
    return new Spec(name, help, false, group, kafkaName, scale, false);
  }

  private static Spec counter(String name, String help, String group, String kafkaName) {
    return new Spec(name, help, true, group, kafkaName, 1, false);
  }

  /** The names exported for a producer, then for a consumer (for docs and tests). */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    PRODUCER_SPECS.forEach(s -> out.add(s.name()));
    CONSUMER_SPECS.forEach(s -> out.add(s.name()));
    out.add("otelcol_kafka_broker_connects");
    out.add("otelcol_kafka_broker_closed");
    return out;
  }

  /** Stops reading the client (idempotent). */
  @Override
  public void close() {
    removals.forEach(Runnable::run);
  }
}
