package io.tiercel.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpSnapshotTest {
  private static Metric metric(MetricsData d, String name) {
    return d.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void countersGaugesAndHistogramsBecomeCumulativeOtlpUnderTheirPrometheusNames() {
    MetricsRegistry r = new MetricsRegistry();
    r.counter("otelcol_exporter_sent_spans", "sent", "exporter").labelValues("kafka").inc(5);
    r.gauge("otelcol_exporter_queue_size", "size", "exporter").labelValues("kafka").set(3);
    var h = r.histogram("otelcol_kafka_x_latency", "lat", new double[] {1, 10}, "exporter");
    h.labelValues("kafka").observe(0.5);
    h.labelValues("kafka").observe(5);
    h.labelValues("kafka").observe(5);
    h.labelValues("kafka").observe(50);

    MetricsData d =
        OtlpSnapshot.convert(r.prometheus().scrape(), Map.of("service.name", "t"), 100, 200);

    assertThat(d.getResourceMetrics(0).getResource().getAttributes(0).getKey())
        .isEqualTo("service.name");
    assertThat(d.getResourceMetrics(0).getScopeMetrics(0).getScope().getName())
        .isEqualTo(OtlpSnapshot.SCOPE);
    Metric sent = metric(d, "otelcol_exporter_sent_spans");
    assertThat(sent.getSum().getIsMonotonic()).isTrue();
    assertThat(sent.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    NumberDataPoint p = sent.getSum().getDataPoints(0);
    assertThat(p.getAsDouble()).isEqualTo(5.0);
    assertThat(p.getStartTimeUnixNano()).isEqualTo(100);
    assertThat(p.getTimeUnixNano()).isEqualTo(200);
    assertThat(p.getAttributes(0).getKey()).isEqualTo("exporter");
    assertThat(p.getAttributes(0).getValue().getStringValue()).isEqualTo("kafka");
    assertThat(metric(d, "otelcol_exporter_queue_size").getGauge().getDataPoints(0).getAsDouble())
        .isEqualTo(3.0);
    HistogramDataPoint hp = metric(d, "otelcol_kafka_x_latency").getHistogram().getDataPoints(0);
    assertThat(hp.getExplicitBoundsList()).containsExactly(1.0, 10.0);
    assertThat(hp.getBucketCountsList()).isEqualTo(List.of(1L, 2L, 1L));
    assertThat(hp.getCount()).isEqualTo(4);
    assertThat(hp.getSum()).isEqualTo(60.5);
  }
}
