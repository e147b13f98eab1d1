package io.tiercel.core.extension.zpages;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.pdata.Signal;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The internal metrics the status page reads, taken at one instant and keyed by what they describe
 * (the component and, where they have them, signal, topic, partition or policy), so that two
 * samples subtract to rates. Keys are {@code kind|part|part...}; no part can contain {@code |}
 * (component ids, pipeline ids and Kafka topic names cannot). Immutable once taken.
 *
 * <p>The keys: {@code r.ok|<receiver>}, {@code r.refused|<receiver>}; {@code p.in|<processor>|
 * <signal>}, {@code p.out|...}, {@code p.refused|...}; {@code e.sent|<exporter>|<signal>}, {@code
 * e.failed|...}, {@code e.enqueue_failed|...}, {@code e.queue|...}, {@code e.capacity|...}; {@code
 * kr.lag|<receiver>|<topic>|<partition>}, {@code kr.offset|...}, {@code kr.records|...}, {@code
 * kr.dead_letter|<receiver>|<reason>}, {@code kr.skipped|<receiver>|<reason>}; {@code
 * ke.records|<exporter>|<topic>|<partition>|<outcome>} and the histogram {@code
 * ke.latency|<exporter>|<topic>|<partition>}; {@code ts.held|<processor>}, {@code
 * ts.late|<processor>}, {@code ts.policy|<processor>|<sampled>|<policy>}.
 */
final class Sample {
  /** Bucket upper bounds and per-bucket (not cumulative) counts. */
  record Buckets(double[] bounds, long[] counts) {}

  final long nanos;
  final Map<String, Double> values;
  final Map<String, Buckets> histograms;

  Sample(long nanos, Map<String, Double> values, Map<String, Buckets> histograms) {
    this.nanos = nanos;
    this.values = values;
    this.histograms = histograms;
  }

  double get(String key) {
    Double v = values.get(key);
    return v == null ? 0 : v;
  }

  /** Reads the registry (only the metric families the page shows). */
  static Sample take(PrometheusRegistry registry, long nanos) {
    Map<String, Double> v = new HashMap<>();
    Map<String, Buckets> h = new HashMap<>();
    for (MetricSnapshot m :
        registry.scrape(
            n ->
                n.startsWith("otelcol_receiver_")
                    || n.startsWith("otelcol_processor_")
                    || n.startsWith("otelcol_exporter_")
                    || n.startsWith("otelcol_kafka_"))) {
      String name = m.getMetadata().getName();
      if (m instanceof CounterSnapshot c) {
        for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
          String key = key(name, p.getLabels());
          if (key != null) {
            v.merge(key, p.getValue(), Double::sum);
          }
        }
      } else if (m instanceof GaugeSnapshot g) {
        for (GaugeSnapshot.GaugeDataPointSnapshot p : g.getDataPoints()) {
          String key = key(name, p.getLabels());
          if (key != null) {
            v.merge(key, p.getValue(), Double::sum);
          }
        }
      } else if (m instanceof HistogramSnapshot hs) {
        for (HistogramSnapshot.HistogramDataPointSnapshot p : hs.getDataPoints()) {
          histogram(name, p, v, h);
        }
      }
    }
    return new Sample(nanos, v, h);
  }

  private static void histogram(
      String name,
      HistogramSnapshot.HistogramDataPointSnapshot p,
      Map<String, Double> v,
      Map<String, Buckets> h) {
    Labels l = p.getLabels();
    if (name.equals("otelcol_processor_tail_sampling_sampling_late_span_age")) {
      v.merge("ts.late|" + l.get("processor"), (double) p.getCount(), Double::sum);
    } else if (name.equals("otelcol_kafka_exporter_write_latency")) {
      ClassicHistogramBuckets b = p.getClassicBuckets();
      double[] bounds = new double[b.size()];
      long[] counts = new long[b.size()];
      for (int i = 0; i < b.size(); i++) {
        bounds[i] = b.getUpperBound(i);
        counts[i] = b.getCount(i);
      }
      String k =
          "ke.latency|" + l.get("exporter") + "|" + l.get("topic") + "|" + l.get("partition");
      h.merge(k, new Buckets(bounds, counts), Sample::add);
    }
  }

  private static Buckets add(Buckets a, Buckets b) {
    if (a.bounds().length != b.bounds().length) {
      return a;
    }
    long[] c = a.counts().clone();
    for (int i = 0; i < c.length; i++) {
      c[i] += b.counts()[i];
    }
    return new Buckets(a.bounds(), c);
  }

  /** The key of one data point, or null for one the page does not show. */
  private static @Nullable String key(String name, Labels l) {
    for (Signal s : Signal.values()) {
      String item = s.itemName();
      if (name.equals("otelcol_receiver_accepted_" + item)) {
        return "r.ok|" + l.get("receiver");
      } else if (name.equals("otelcol_receiver_refused_" + item)) {
        return "r.refused|" + l.get("receiver");
      } else if (name.equals("otelcol_processor_refused_" + item)) {
        return "p.refused|" + l.get("processor") + "|" + s.id();
      } else if (name.equals("otelcol_exporter_sent_" + item)) {
        return "e.sent|" + l.get("exporter") + "|" + s.id();
      } else if (name.equals("otelcol_exporter_send_failed_" + item)) {
        return "e.failed|" + l.get("exporter") + "|" + s.id();
      } else if (name.equals("otelcol_exporter_enqueue_failed_" + item)) {
        return "e.enqueue_failed|" + l.get("exporter") + "|" + s.id();
      }
    }
    String tp = "|" + l.get("topic") + "|" + l.get("partition");
    return switch (name) {
      case "otelcol_processor_incoming_items" ->
          "p.in|" + l.get("processor") + "|" + l.get("otel_signal");
      case "otelcol_processor_outgoing_items" ->
          "p.out|" + l.get("processor") + "|" + l.get("otel_signal");
      case "otelcol_exporter_queue_size" ->
          "e.queue|" + l.get("exporter") + "|" + l.get("data_type");
      case "otelcol_exporter_queue_capacity" ->
          "e.capacity|" + l.get("exporter") + "|" + l.get("data_type");
      case "otelcol_kafka_receiver_offset_lag" -> "kr.lag|" + l.get("receiver") + tp;
      case "otelcol_kafka_receiver_current_offset" -> "kr.offset|" + l.get("receiver") + tp;
      case "otelcol_kafka_receiver_records" ->
          "success".equals(l.get("outcome")) ? "kr.records|" + l.get("receiver") + tp : null;
      case "otelcol_kafka_receiver_dead_letter_records" ->
          "kr.dead_letter|" + l.get("receiver") + "|" + l.get("reason");
      case "otelcol_kafka_receiver_skipped_records" ->
          "kr.skipped|" + l.get("receiver") + "|" + l.get("reason");
      case "otelcol_kafka_exporter_records" ->
          "ke.records|" + l.get("exporter") + tp + "|" + l.get("outcome");
      case "otelcol_processor_tail_sampling_sampling_traces_on_memory" ->
          "ts.held|" + l.get("processor");
      case "otelcol_processor_tail_sampling_count_traces_sampled" ->
          "ts.policy|" + l.get("processor") + "|" + l.get("sampled") + "|" + l.get("policy");
      default -> null;
    };
  }
}
