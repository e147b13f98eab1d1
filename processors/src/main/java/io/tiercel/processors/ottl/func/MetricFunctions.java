package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Param.required;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.List;

/**
 * The metric context's own functions (from the transform and filter processors):
 * convert_sum_to_gauge, convert_gauge_to_sum, HasAttrKeyOnDatapoint and HasAttrOnDatapoint.
 */
final class MetricFunctions {
  private MetricFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.editorIn(
        OttlContext.METRIC,
        "convert_sum_to_gauge",
        (a, cols, col) ->
            c -> {
              if (c.metric() instanceof io.opentelemetry.proto.metrics.v1.Metric.Builder m
                  && m.hasSum()) {
                var points = m.getSum().getDataPointsList();
                m.setGauge(
                    io.opentelemetry.proto.metrics.v1.Gauge.newBuilder().addAllDataPoints(points));
              }
              return null;
            });
    registry.editorIn(
        OttlContext.METRIC,
        "convert_gauge_to_sum",
        (a, cols, col) -> {
          String temporality = (String) a[0];
          boolean monotonic = (Boolean) a[1];
          int t;
          switch (temporality) {
            case "cumulative" -> t = 2;
            case "delta" -> t = 1;
            default ->
                throw new CompileError(
                    cols[0],
                    "argument \"aggregation_temporality\" of convert_gauge_to_sum must be"
                        + " \"cumulative\" or \"delta\", not \""
                        + temporality
                        + "\"");
          }
          return c -> {
            if (c.metric() instanceof io.opentelemetry.proto.metrics.v1.Metric.Builder m
                && m.hasGauge()) {
              var points = m.getGauge().getDataPointsList();
              m.setSum(
                  io.opentelemetry.proto.metrics.v1.Sum.newBuilder()
                      .setAggregationTemporalityValue(t)
                      .setIsMonotonic(monotonic)
                      .addAllDataPoints(points));
            }
            return null;
          };
        },
        required("aggregation_temporality", ParamKind.STR_LIT),
        required("is_monotonic", ParamKind.BOOL_LIT));
    registry.converterIn(
        OttlContext.METRIC,
        "HasAttrKeyOnDatapoint",
        (a, cols, col) -> {
          String key = (String) a[0];
          return c -> {
            for (Object dp : dataPoints(c.metric())) {
              for (KeyValue kv : dpAttrs(dp)) {
                if (kv.getKey().equals(key)) {
                  return true;
                }
              }
            }
            return false;
          };
        },
        required("key", ParamKind.STR_LIT));
    registry.converterIn(
        OttlContext.METRIC,
        "HasAttrOnDatapoint",
        (a, cols, col) -> {
          String key = (String) a[0];
          String value = (String) a[1];
          return c -> {
            for (Object dp : dataPoints(c.metric())) {
              for (KeyValue kv : dpAttrs(dp)) {
                if (kv.getKey().equals(key)) {
                  AnyValue v = kv.getValue();
                  String s =
                      v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v.getStringValue() : "";
                  if (s.equals(value)) {
                    return true;
                  }
                }
              }
            }
            return false;
          };
        },
        required("key", ParamKind.STR_LIT),
        required("value", ParamKind.STR_LIT));
  }

  private static Iterable<?> dataPoints(MetricOrBuilder m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList();
      case SUM -> m.getSum().getDataPointsList();
      case HISTOGRAM -> m.getHistogram().getDataPointsList();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList();
      case SUMMARY -> m.getSummary().getDataPointsList();
      case DATA_NOT_SET -> List.of();
    };
  }

  private static List<KeyValue> dpAttrs(Object dp) {
    if (dp instanceof NumberDataPoint d) {
      return d.getAttributesList();
    } else if (dp instanceof HistogramDataPoint d) {
      return d.getAttributesList();
    } else if (dp instanceof ExponentialHistogramDataPoint d) {
      return d.getAttributesList();
    } else if (dp instanceof SummaryDataPoint d) {
      return d.getAttributesList();
    }
    return List.of();
  }
}
