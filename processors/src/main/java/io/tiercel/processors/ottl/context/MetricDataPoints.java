package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;

import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.tiercel.processors.ottl.eval.Accessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A metric's {@code data_points} as a whole: a list of maps as {@link ProtoMaps} gives them, one
 * per point of the metric's type (nil for a metric without data). The collector hands out the pdata
 * slice; a set replaces the points with points of the metric's own type, and a list that does not
 * fit that type is ignored, as other sets of the wrong shape are.
 */
final class MetricDataPoints {
  private MetricDataPoints() {}

  static Accessor accessor() {
    return acc(
        c -> {
          List<? extends MessageOrBuilder> points = points(c.metric());
          if (points == null) {
            return null;
          }
          List<Object> out = new ArrayList<>(points.size());
          for (MessageOrBuilder p : points) {
            out.add(ProtoMaps.toMap(p));
          }
          return out;
        },
        (c, v) -> {
          if (v instanceof List<?> l && c.metric() instanceof Metric.Builder m) {
            set(m, l);
          }
        });
  }

  private static @Nullable List<? extends MessageOrBuilder> points(MetricOrBuilder m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList();
      case SUM -> m.getSum().getDataPointsList();
      case HISTOGRAM -> m.getHistogram().getDataPointsList();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList();
      case SUMMARY -> m.getSummary().getDataPointsList();
      case DATA_NOT_SET -> null;
    };
  }

  private static void set(Metric.Builder m, List<?> l) {
    switch (m.getDataCase()) {
      case GAUGE -> {
        List<NumberDataPoint> p = build(l, NumberDataPoint::newBuilder);
        if (p != null) {
          m.getGaugeBuilder().clearDataPoints().addAllDataPoints(p);
        }
      }
      case SUM -> {
        List<NumberDataPoint> p = build(l, NumberDataPoint::newBuilder);
        if (p != null) {
          m.getSumBuilder().clearDataPoints().addAllDataPoints(p);
        }
      }
      case HISTOGRAM -> {
        List<HistogramDataPoint> p = build(l, HistogramDataPoint::newBuilder);
        if (p != null) {
          m.getHistogramBuilder().clearDataPoints().addAllDataPoints(p);
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        List<ExponentialHistogramDataPoint> p = build(l, ExponentialHistogramDataPoint::newBuilder);
        if (p != null) {
          m.getExponentialHistogramBuilder().clearDataPoints().addAllDataPoints(p);
        }
      }
      case SUMMARY -> {
        List<SummaryDataPoint> p = build(l, SummaryDataPoint::newBuilder);
        if (p != null) {
          m.getSummaryBuilder().clearDataPoints().addAllDataPoints(p);
        }
      }
      case DATA_NOT_SET -> {}
    }
  }

  /** The points built from maps; null when an element is no map or does not fit the type. */
  private static <M extends Message> @Nullable List<M> build(
      List<?> l, Supplier<? extends Message.Builder> builder) {
    List<M> out = new ArrayList<>(l.size());
    for (Object e : l) {
      Message.Builder b = e instanceof Map<?, ?> m ? ProtoMaps.fromMap(builder.get(), m) : null;
      if (b == null) {
        return null;
      }
      @SuppressWarnings("unchecked")
      M built = (M) b.build();
      out.add(built);
    }
    return out;
  }
}
