package io.tiercel.processors.transform.functions;

import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.func.ParamKind;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * scale_metric, aggregate_on_attributes and aggregate_on_attribute_value (metric context). The
 * aggregations group and merge points with {@link Aggregation}.
 */
final class MetricAggregations {
  private MetricAggregations() {}

  static void register(FunctionRegistry.Builder b) {
    b.editorIn(
        OttlContext.METRIC,
        "scale_metric",
        (a, cols, col) -> scale((Double) a[0], (Getter) a[1]),
        required("multiplier", ParamKind.FLOAT_LIT),
        optional("unit", ParamKind.ANY));
    b.editorIn(
        OttlContext.METRIC,
        "aggregate_on_attributes",
        (a, cols, col) -> {
          Aggregation.Kind f = Aggregation.kind((String) a[0], cols[0], "aggregate_on_attributes");
          @SuppressWarnings("unchecked")
          List<String> keys = (List<String>) a[1];
          return onAttributes(f, keys);
        },
        required("aggregation_function", ParamKind.STR_LIT),
        optional("attributes", ParamKind.STR_LIST_LIT));
    b.editorIn(
        OttlContext.METRIC,
        "aggregate_on_attribute_value",
        (a, cols, col) -> {
          Aggregation.Kind f =
              Aggregation.kind((String) a[0], cols[0], "aggregate_on_attribute_value");
          @SuppressWarnings("unchecked")
          List<String> values = (List<String>) a[2];
          return onAttributeValue(f, (String) a[1], values, (String) a[3]);
        },
        required("aggregation_function", ParamKind.STR_LIT),
        required("attribute", ParamKind.STR_LIT),
        required("values", ParamKind.STR_LIST_LIT),
        required("new_value", ParamKind.STR_LIT));
  }

  private static Getter scale(double factor, @Nullable Getter unitArg) {
    return c -> {
      Metric.Builder m = MetricSupport.metric(c);
      String unit = unitArg == null ? null : MetricSupport.str(unitArg.get(c), "scale_metric");
      switch (m.getDataCase()) {
        case GAUGE -> m.getGaugeBuilder().getDataPointsBuilderList().forEach(p -> scale(p, factor));
        case SUM -> m.getSumBuilder().getDataPointsBuilderList().forEach(p -> scale(p, factor));
        case HISTOGRAM -> {
          for (HistogramDataPoint.Builder p : m.getHistogramBuilder().getDataPointsBuilderList()) {
            if (p.hasSum()) {
              p.setSum(p.getSum() * factor);
            }
            if (p.hasMin()) {
              p.setMin(p.getMin() * factor);
            }
            if (p.hasMax()) {
              p.setMax(p.getMax() * factor);
            }
            for (int i = 0; i < p.getExplicitBoundsCount(); i++) {
              p.setExplicitBounds(i, p.getExplicitBounds(i) * factor);
            }
            for (Exemplar.Builder e : p.getExemplarsBuilderList()) {
              if (e.hasAsInt()) {
                e.setAsInt((long) (e.getAsInt() * factor));
              } else if (e.hasAsDouble()) {
                e.setAsDouble(e.getAsDouble() * factor);
              }
            }
          }
        }
        case SUMMARY -> {
          for (SummaryDataPoint.Builder p : m.getSummaryBuilder().getDataPointsBuilderList()) {
            p.setSum(p.getSum() * factor);
            for (SummaryDataPoint.ValueAtQuantile.Builder q : p.getQuantileValuesBuilderList()) {
              q.setValue(q.getValue() * factor);
            }
          }
        }
        case EXPONENTIAL_HISTOGRAM ->
            throw new OttlRuntimeException(
                "exponential histograms are not supported by the 'scale_metric' function");
        case DATA_NOT_SET -> throw new OttlRuntimeException("unsupported metric type: 'Empty'");
      }
      if (unit != null) {
        m.setUnit(unit);
      }
      return null;
    };
  }

  private static void scale(NumberDataPoint.Builder p, double factor) {
    if (p.hasAsInt()) {
      p.setAsInt((long) (p.getAsInt() * factor)); // truncated towards zero, as Go converts
    } else if (p.hasAsDouble()) {
      p.setAsDouble(p.getAsDouble() * factor);
    }
  }

  private static Getter onAttributes(Aggregation.Kind f, @Nullable List<String> keys) {
    return c -> {
      Metric.Builder m = MetricSupport.metric(c);
      if (m.hasSummary()) {
        throw new OttlRuntimeException(
            "aggregate_on_attributes does not support aggregating Summary metrics");
      }
      if (keys != null) {
        Aggregation.editAttributes(m, attrs -> attrs.removeIf(kv -> !keys.contains(kv.getKey())));
      }
      Aggregation.aggregate(m, f);
      return null;
    };
  }

  private static Getter onAttributeValue(
      Aggregation.Kind f, String attribute, List<String> values, String newValue) {
    return c -> {
      Metric.Builder m = MetricSupport.metric(c);
      Aggregation.editAttributes(
          m,
          attrs -> {
            for (int i = 0; i < attrs.size(); i++) {
              KeyValue kv = attrs.get(i);
              if (!kv.getKey().equals(attribute)) {
                continue;
              }
              // a value that is not a string reads as "" (pdata's Str())
              AnyValue v = kv.getValue();
              String s =
                  v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v.getStringValue() : "";
              if (values.contains(s)) {
                attrs.set(
                    i,
                    kv.toBuilder()
                        .setValue(AnyValue.newBuilder().setStringValue(newValue))
                        .build());
              }
            }
          });
      Aggregation.aggregate(m, f);
      return null;
    };
  }
}
