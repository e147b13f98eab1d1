package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;
import static io.tiercel.processors.ottl.context.PathSupport.intOf;
import static io.tiercel.processors.ottl.context.PathSupport.readOnly;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code metric} context: name, description, unit, type, temporality, monotonicity and the data
 * points as a whole.
 */
final class MetricPaths {
  private MetricPaths() {}

  /** The paths of the context, for error messages. */
  static final List<String> FIELDS =
      List.of(
          "name",
          "description",
          "unit",
          "type",
          "aggregation_temporality",
          "is_monotonic",
          "data_points",
          "cache");

  /** OTTL's METRIC_DATA_TYPE_* numbering (differs from the protobuf oneof field numbers). */
  static long metricType(MetricOrBuilder m) {
    return switch (m.getDataCase()) {
      case GAUGE -> 1;
      case SUM -> 2;
      case HISTOGRAM -> 3;
      case EXPONENTIAL_HISTOGRAM -> 4;
      case SUMMARY -> 5;
      case DATA_NOT_SET -> 0;
    };
  }

  private static Metric.Builder mb(CurrentItem c) {
    return (Metric.Builder) c.metric();
  }

  static @Nullable Accessor resolve(String f, Getter[] keys) {
    return switch (f) {
      case "name" ->
          acc(
              c -> c.metric().getName(),
              (c, v) -> {
                if (v instanceof String s) {
                  mb(c).setName(s);
                }
              });
      case "description" ->
          acc(
              c -> c.metric().getDescription(),
              (c, v) -> {
                if (v instanceof String s) {
                  mb(c).setDescription(s);
                }
              });
      case "unit" ->
          acc(
              c -> c.metric().getUnit(),
              (c, v) -> {
                if (v instanceof String s) {
                  mb(c).setUnit(s);
                }
              });
      case "type" -> readOnly(c -> metricType(c.metric()), "metric.type");
      case "aggregation_temporality" ->
          acc(
              c ->
                  switch (c.metric().getDataCase()) {
                    case SUM -> (long) c.metric().getSum().getAggregationTemporalityValue();
                    case HISTOGRAM ->
                        (long) c.metric().getHistogram().getAggregationTemporalityValue();
                    case EXPONENTIAL_HISTOGRAM ->
                        (long)
                            c.metric().getExponentialHistogram().getAggregationTemporalityValue();
                    default -> 0L;
                  },
              (c, v) -> {
                if (v instanceof Long) {
                  int t = intOf(v);
                  Metric.Builder m = mb(c);
                  switch (m.getDataCase()) {
                    case SUM -> m.getSumBuilder().setAggregationTemporalityValue(t);
                    case HISTOGRAM -> m.getHistogramBuilder().setAggregationTemporalityValue(t);
                    case EXPONENTIAL_HISTOGRAM ->
                        m.getExponentialHistogramBuilder().setAggregationTemporalityValue(t);
                    default -> {}
                  }
                }
              });
      case "is_monotonic" ->
          acc(
              c ->
                  c.metric().getDataCase() == Metric.DataCase.SUM
                      && c.metric().getSum().getIsMonotonic(),
              (c, v) -> {
                if (v instanceof Boolean b && mb(c).getDataCase() == Metric.DataCase.SUM) {
                  mb(c).getSumBuilder().setIsMonotonic(b);
                }
              });
      case "data_points" -> MetricDataPoints.accessor();
      default -> null;
    };
  }
}
