package io.tiercel.processors.ottl.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.Ottl;
import io.tiercel.processors.ottl.OttlException;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.transform.TransformRunner;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code positive.*} and {@code negative.*} of exponential histogram data points. */
class ExpHistogramPathsTest {
  private static final Ottl OTTL = new Ottl(FunctionRegistry.standard());

  private static MetricsData data() {
    ExponentialHistogramDataPoint dp =
        ExponentialHistogramDataPoint.newBuilder()
            .setScale(2)
            .setPositive(
                ExponentialHistogramDataPoint.Buckets.newBuilder()
                    .setOffset(3)
                    .addAllBucketCounts(List.of(1L, 2L, 3L)))
            .setNegative(
                ExponentialHistogramDataPoint.Buckets.newBuilder()
                    .setOffset(-1)
                    .addAllBucketCounts(List.of(4L)))
            .build();
    Metric exp =
        Metric.newBuilder()
            .setName("latency")
            .setExponentialHistogram(ExponentialHistogram.newBuilder().addDataPoints(dp))
            .build();
    Metric gauge =
        Metric.newBuilder()
            .setName("g")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)))
            .build();
    return MetricsData.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(exp).addMetrics(gauge)))
        .build();
  }

  private static MetricsData run(String... statements) {
    Errors errors = new Errors(LoggerFactory.getLogger(ExpHistogramPathsTest.class), "test");
    TransformRunner r =
        new TransformRunner(
            List.of(
                OTTL.group(
                    List.of(statements), List.of(), null, Signal.METRICS, ErrorMode.PROPAGATE)),
            Clock.systemUTC(),
            errors);
    return r.apply(data());
  }

  private static List<Metric> metrics(MetricsData d) {
    return d.getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
  }

  @Test
  void readsOffsetsAndBucketCounts() {
    MetricsData out =
        run(
            "set(datapoint.attributes[\"p\"], datapoint.positive.offset)"
                + " where datapoint.positive.bucket_counts == [1, 2, 3]",
            "set(datapoint.attributes[\"n\"], datapoint.negative.offset)"
                + " where datapoint.negative.bucket_counts == [4]",
            "set(datapoint.attributes[\"other\"], \"nil\") where datapoint.positive.offset == nil");
    ExponentialHistogramDataPoint dp =
        metrics(out).get(0).getExponentialHistogram().getDataPoints(0);
    assertThat(dp.getAttributesList())
        .extracting(kv -> kv.getKey() + "=" + kv.getValue().getIntValue())
        .containsExactly("p=3", "n=-1");
    assertThat(metrics(out).get(1).getGauge().getDataPoints(0).getAttributesList())
        .extracting(kv -> kv.getKey() + "=" + kv.getValue().getStringValue())
        .containsExactly("other=nil");
  }

  @Test
  void setsOffsetsAndBucketCounts() {
    MetricsData out =
        run(
            "set(datapoint.positive.offset, 5)",
            "set(datapoint.positive.bucket_counts, [7, 8])",
            "set(datapoint.negative.offset, 0)",
            "set(datapoint.negative.bucket_counts, [])");
    ExponentialHistogramDataPoint dp =
        metrics(out).get(0).getExponentialHistogram().getDataPoints(0);
    assertThat(dp.getPositive().getOffset()).isEqualTo(5);
    assertThat(dp.getPositive().getBucketCountsList()).containsExactly(7L, 8L);
    assertThat(dp.getNegative().getOffset()).isZero();
    assertThat(dp.getNegative().getBucketCountsList()).isEmpty();
    assertThat(dp.getScale()).isEqualTo(2);
    assertThat(metrics(out).get(1).getGauge().getDataPoints(0).getAsInt()).isEqualTo(1);
  }

  @Test
  void anUnknownPathListsThem() {
    assertThatThrownBy(
            () -> OTTL.statement("set(datapoint.positive.size, 1)", null, Signal.METRICS))
        .isInstanceOf(OttlException.class)
        .hasMessageContaining(
            "zero_count, positive.offset, positive.bucket_counts, negative.offset,"
                + " negative.bucket_counts, positive, negative, quantile_values, exemplars, cache");
  }
}
