package io.tiercel.processors.transform.functions;

import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.func.ParamKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Functions that add a metric derived from the current one to its scope: extract_count_metric,
 * extract_sum_metric, convert_summary_quantile_val_to_gauge and copy_metric (metric context), and
 * convert_summary_count_val_to_sum and convert_summary_sum_val_to_sum (datapoint context, as in the
 * collector: they run once per data point of a summary, each run adding a metric with all of its
 * points). The new metric is appended to the scope's metrics, so later statements of the group see
 * it.
 */
final class MetricDerivations {
  private MetricDerivations() {}

  /** One source point's fields that the derived points copy. */
  private record Point(
      List<KeyValue> attributes, long start, long time, long count, @Nullable Double sum) {}

  static void register(FunctionRegistry.Builder b) {
    b.editorIn(
        OttlContext.METRIC,
        "extract_count_metric",
        (a, cols, col) -> extract("extract_count_metric", (Boolean) a[0], suffix(a[1], "_count")),
        required("is_monotonic", ParamKind.BOOL_LIT),
        optional("suffix", ParamKind.STR_LIT));
    b.editorIn(
        OttlContext.METRIC,
        "extract_sum_metric",
        (a, cols, col) -> extract("extract_sum_metric", (Boolean) a[0], suffix(a[1], "_sum")),
        required("is_monotonic", ParamKind.BOOL_LIT),
        optional("suffix", ParamKind.STR_LIT));
    b.editorIn(
        OttlContext.DATAPOINT,
        "convert_summary_count_val_to_sum",
        (a, cols, col) -> {
          var t =
              MetricSupport.temporality((String) a[0], cols[0], "convert_summary_count_val_to_sum");
          return summaryToSum(true, t, (Boolean) a[1], suffix(a[2], "_count"));
        },
        required("aggregation_temporality", ParamKind.STR_LIT),
        required("is_monotonic", ParamKind.BOOL_LIT),
        optional("suffix", ParamKind.STR_LIT));
    b.editorIn(
        OttlContext.DATAPOINT,
        "convert_summary_sum_val_to_sum",
        (a, cols, col) -> {
          var t =
              MetricSupport.temporality((String) a[0], cols[0], "convert_summary_sum_val_to_sum");
          return summaryToSum(false, t, (Boolean) a[1], suffix(a[2], "_sum"));
        },
        required("aggregation_temporality", ParamKind.STR_LIT),
        required("is_monotonic", ParamKind.BOOL_LIT),
        optional("suffix", ParamKind.STR_LIT));
    b.editorIn(
        OttlContext.METRIC,
        "convert_summary_quantile_val_to_gauge",
        (a, cols, col) ->
            quantilesToGauge(a[0] == null ? "quantile" : (String) a[0], suffix(a[1], ".quantiles")),
        optional("attribute_key", ParamKind.STR_LIT),
        optional("suffix", ParamKind.STR_LIT));
    b.editorIn(
        OttlContext.METRIC,
        "copy_metric",
        (a, cols, col) -> copy((Getter) a[0], (Getter) a[1], (Getter) a[2]),
        optional("name", ParamKind.ANY),
        optional("description", ParamKind.ANY),
        optional("unit", ParamKind.ANY));
  }

  private static String suffix(@Nullable Object given, String otherwise) {
    return given == null ? otherwise : (String) given;
  }

  private static Getter extract(String fn, boolean monotonic, String suffix) {
    boolean count = fn.equals("extract_count_metric");
    return c -> {
      Metric.Builder m = MetricSupport.metric(c);
      AggregationTemporality t =
          switch (m.getDataCase()) {
            case HISTOGRAM -> m.getHistogram().getAggregationTemporality();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporality();
            // summaries have no temporality; the OpenMetrics model makes them cumulative
            case SUMMARY -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
            default -> AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
          };
      if (t == AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED) {
        throw new OttlRuntimeException(
            fn
                + " requires an input metric of type Histogram, ExponentialHistogram or Summary,"
                + " got "
                + MetricSupport.typeName(m));
      }
      Sum.Builder sum = Sum.newBuilder().setAggregationTemporality(t).setIsMonotonic(monotonic);
      for (Point p : points(m)) {
        if (!count && p.sum() == null) {
          continue; // a histogram point without a sum adds no point
        }
        NumberDataPoint.Builder dp =
            NumberDataPoint.newBuilder()
                .addAllAttributes(p.attributes())
                .setStartTimeUnixNano(p.start())
                .setTimeUnixNano(p.time());
        if (count) {
          dp.setAsInt(p.count());
        } else {
          dp.setAsDouble(p.sum());
        }
        sum.addDataPoints(dp);
      }
      if (sum.getDataPointsCount() > 0) {
        MetricSupport.append(
            c,
            Metric.newBuilder()
                .setName(m.getName() + suffix)
                .setDescription(m.getDescription())
                // a count has no unit of the measured value
                .setUnit(count ? "1" : m.getUnit())
                .setSum(sum)
                .build());
      }
      return null;
    };
  }

  private static List<Point> points(Metric.Builder m) {
    List<Point> out = new ArrayList<>();
    switch (m.getDataCase()) {
      case HISTOGRAM -> {
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          out.add(
              new Point(
                  p.getAttributesList(),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.hasSum() ? p.getSum() : null));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          out.add(
              new Point(
                  p.getAttributesList(),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.hasSum() ? p.getSum() : null));
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          out.add(
              new Point(
                  p.getAttributesList(),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.getSum()));
        }
      }
      default -> {}
    }
    return out;
  }

  private static Getter summaryToSum(
      boolean count, AggregationTemporality t, boolean monotonic, String suffix) {
    return c -> {
      Metric.Builder m = MetricSupport.metric(c);
      if (!m.hasSummary()) {
        return null;
      }
      Sum.Builder sum = Sum.newBuilder().setAggregationTemporality(t).setIsMonotonic(monotonic);
      for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
        NumberDataPoint.Builder dp =
            NumberDataPoint.newBuilder()
                .addAllAttributes(p.getAttributesList())
                .setStartTimeUnixNano(p.getStartTimeUnixNano())
                .setTimeUnixNano(p.getTimeUnixNano());
        if (count) {
          dp.setAsInt(p.getCount());
        } else {
          dp.setAsDouble(p.getSum());
        }
        sum.addDataPoints(dp);
      }
      MetricSupport.append(
          c,
          Metric.newBuilder()
              .setName(m.getName() + suffix)
              .setDescription(m.getDescription())
              .setUnit(m.getUnit())
              .setSum(sum)
              .build());
      return null;
    };
  }

  private static Getter quantilesToGauge(String key, String suffix) {
    return c -> {
      Metric.Builder m = MetricSupport.metric(c);
      if (!m.hasSummary()) {
        return null;
      }
      Gauge.Builder gauge = Gauge.newBuilder();
      for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
          List<KeyValue> attrs = new ArrayList<>(p.getAttributesList());
          KeyValue kv =
              KeyValue.newBuilder()
                  .setKey(key)
                  .setValue(AnyValue.newBuilder().setStringValue(quantileText(q.getQuantile())))
                  .build();
          int at = -1;
          for (int i = 0; i < attrs.size() && at < 0; i++) {
            at = attrs.get(i).getKey().equals(key) ? i : -1;
          }
          if (at >= 0) {
            attrs.set(at, kv);
          } else {
            attrs.add(kv);
          }
          gauge.addDataPoints(
              NumberDataPoint.newBuilder()
                  .addAllAttributes(attrs)
                  .setAsDouble(q.getValue())
                  .setStartTimeUnixNano(p.getStartTimeUnixNano())
                  .setTimeUnixNano(p.getTimeUnixNano()));
        }
      }
      MetricSupport.append(
          c,
          Metric.newBuilder()
              .setName(m.getName() + suffix)
              .setDescription(m.getDescription())
              .setUnit(m.getUnit())
              .setGauge(gauge)
              .build());
      return null;
    };
  }

  /**
   * The quantile as the collector writes it: the shortest decimal form, padded with a zero to at
   * least four characters ({@code 0.5} is {@code "0.50"}) except {@code "0"} and {@code "1"}.
   */
  static String quantileText(double q) {
    String s = new BigDecimal(Double.toString(q)).stripTrailingZeros().toPlainString();
    return s.length() < 4 && !s.equals("0") && !s.equals("1") ? s + "0" : s;
  }

  private static Getter copy(
      @Nullable Getter name, @Nullable Getter description, @Nullable Getter unit) {
    return c -> {
      Metric.Builder copy = MetricSupport.metric(c).build().toBuilder();
      if (name != null) {
        copy.setName(MetricSupport.str(name.get(c), "copy_metric"));
      }
      if (description != null) {
        copy.setDescription(MetricSupport.str(description.get(c), "copy_metric"));
      }
      if (unit != null) {
        copy.setUnit(MetricSupport.str(unit.get(c), "copy_metric"));
      }
      MetricSupport.append(c, copy.build());
      return null;
    };
  }
}
