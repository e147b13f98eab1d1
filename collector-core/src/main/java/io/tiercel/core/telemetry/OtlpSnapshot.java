package io.tiercel.core.telemetry;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;

/**
 * The internal metrics as OTLP, for a periodic reader: each counter a cumulative monotonic sum,
 * each gauge a gauge, each histogram a cumulative histogram with the classic bucket bounds, under
 * the names the Prometheus endpoint shows (counters without {@code _total}, as the collector's
 * instruments are named) and with the same labels as attributes. Other metric kinds are not
 * registered by Tiercel and are left out.
 */
public final class OtlpSnapshot {
  /** The instrumentation scope of the internal metrics. */
  public static final String SCOPE = "io.tiercel.core.telemetry";

  private OtlpSnapshot() {}

  /**
   * Converts one collection.
   *
   * @param resource attributes of the resource (e.g. {@code service.name})
   * @param startNanos start of the cumulative series (the service start), epoch nanoseconds
   * @param nowNanos the collection time, epoch nanoseconds
   */
  public static MetricsData convert(
      MetricSnapshots snapshots, Map<String, String> resource, long startNanos, long nowNanos) {
    ScopeMetrics.Builder scope =
        ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE));
    for (MetricSnapshot s : snapshots) {
      Metric.Builder m =
          Metric.newBuilder()
              .setName(s.getMetadata().getName())
              .setDescription(s.getMetadata().getHelp() == null ? "" : s.getMetadata().getHelp());
      if (s.getMetadata().hasUnit()) {
        m.setUnit(s.getMetadata().getUnit().toString());
      }
      if (s instanceof CounterSnapshot c) {
        Sum.Builder sum =
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
          sum.addDataPoints(number(p.getLabels(), p.getValue(), startNanos, nowNanos));
        }
        scope.addMetrics(m.setSum(sum));
      } else if (s instanceof GaugeSnapshot g) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (GaugeSnapshot.GaugeDataPointSnapshot p : g.getDataPoints()) {
          gauge.addDataPoints(number(p.getLabels(), p.getValue(), startNanos, nowNanos));
        }
        scope.addMetrics(m.setGauge(gauge));
      } else if (s instanceof HistogramSnapshot h) {
        Histogram.Builder hist =
            Histogram.newBuilder()
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
          if (p.hasClassicHistogramData()) {
            hist.addDataPoints(histogram(p, startNanos, nowNanos));
          }
        }
        scope.addMetrics(m.setHistogram(hist));
      }
    }
    Resource.Builder r = Resource.newBuilder();
    resource.forEach((k, v) -> r.addAttributes(attribute(k, v)));
    return MetricsData.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(r).addScopeMetrics(scope))
        .build();
  }

  private static NumberDataPoint number(Labels labels, double value, long start, long now) {
    NumberDataPoint.Builder p =
        NumberDataPoint.newBuilder()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(now)
            .setAsDouble(value);
    for (int i = 0; i < labels.size(); i++) {
      p.addAttributes(attribute(labels.getName(i), labels.getValue(i)));
    }
    return p.build();
  }

  private static HistogramDataPoint histogram(
      HistogramSnapshot.HistogramDataPointSnapshot p, long start, long now) {
    HistogramDataPoint.Builder b =
        HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(start)
            .setTimeUnixNano(now)
            .setCount(p.getCount());
    if (p.hasSum()) {
      b.setSum(p.getSum());
    }
    // the model's classic bucket counts are per bucket, ending with +Inf; OTLP lists the finite
    // bounds and one count more
    List<ClassicHistogramBucket> buckets = p.getClassicBuckets().stream().toList();
    for (ClassicHistogramBucket bucket : buckets) {
      if (bucket.getUpperBound() != Double.POSITIVE_INFINITY) {
        b.addExplicitBounds(bucket.getUpperBound());
      }
      b.addBucketCounts(bucket.getCount());
    }
    Labels labels = p.getLabels();
    for (int i = 0; i < labels.size(); i++) {
      b.addAttributes(attribute(labels.getName(i), labels.getValue(i)));
    }
    return b.build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
