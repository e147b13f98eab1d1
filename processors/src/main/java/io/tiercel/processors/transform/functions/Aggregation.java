package io.tiercel.processors.transform.functions;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.tiercel.processors.ottl.eval.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Groups a metric's points that share attributes (in any order), timestamp and shape, and merges
 * each group into one point, as the collector's aggregation helper does: numbers with the chosen
 * function; histograms and exponential histograms by adding counts, sums and buckets (whatever the
 * function). Groups keep the order of their first point (the collector's order is a Go map's, so
 * unspecified).
 */
final class Aggregation {
  private Aggregation() {}

  /** The aggregation functions, by their config names. */
  enum Kind {
    SUM,
    MEAN,
    MIN,
    MAX,
    MEDIAN,
    COUNT;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Parses a function name (case-sensitive), else a compile error naming the argument. */
  static Kind kind(String name, int col, String fn) {
    for (Kind f : Kind.values()) {
      if (f.id().equals(name)) {
        return f;
      }
    }
    throw MetricSupport.argError(
        col,
        fn,
        "aggregation_function",
        "one of sum, mean, min, max, median, count, not \"" + name + "\"");
  }

  /** Applies {@code edit} to a copy of every point's attributes and stores the result. */
  static void editAttributes(Metric.Builder m, Consumer<List<KeyValue>> edit) {
    Function<List<KeyValue>, List<KeyValue>> apply =
        l -> {
          List<KeyValue> copy = new ArrayList<>(l);
          edit.accept(copy);
          return copy;
        };
    // the edited copy is made before the point's own list is cleared
    switch (m.getDataCase()) {
      case GAUGE ->
          m.getGaugeBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p -> {
                    List<KeyValue> edited = apply.apply(p.getAttributesList());
                    p.clearAttributes().addAllAttributes(edited);
                  });
      case SUM ->
          m.getSumBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p -> {
                    List<KeyValue> edited = apply.apply(p.getAttributesList());
                    p.clearAttributes().addAllAttributes(edited);
                  });
      case HISTOGRAM ->
          m.getHistogramBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p -> {
                    List<KeyValue> edited = apply.apply(p.getAttributesList());
                    p.clearAttributes().addAllAttributes(edited);
                  });
      case EXPONENTIAL_HISTOGRAM ->
          m.getExponentialHistogramBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p -> {
                    List<KeyValue> edited = apply.apply(p.getAttributesList());
                    p.clearAttributes().addAllAttributes(edited);
                  });
      case SUMMARY ->
          m.getSummaryBuilder()
              .getDataPointsBuilderList()
              .forEach(
                  p -> {
                    List<KeyValue> edited = apply.apply(p.getAttributesList());
                    p.clearAttributes().addAllAttributes(edited);
                  });
      case DATA_NOT_SET -> {}
    }
  }

  /**
   * Merges the metric's points. A summary loses its points, as in the collector, whose helper does
   * not group summaries (aggregate_on_attributes refuses them before).
   */
  static void aggregate(Metric.Builder m, Kind f) {
    switch (m.getDataCase()) {
      case GAUGE -> {
        var b = m.getGaugeBuilder();
        List<NumberDataPoint> merged = numbers(b.getDataPointsList(), false, f);
        b.clearDataPoints().addAllDataPoints(merged);
      }
      case SUM -> {
        var b = m.getSumBuilder();
        boolean delta =
            b.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        List<NumberDataPoint> merged = numbers(b.getDataPointsList(), delta, f);
        b.clearDataPoints().addAllDataPoints(merged);
      }
      case HISTOGRAM -> {
        var b = m.getHistogramBuilder();
        boolean delta =
            b.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        List<HistogramDataPoint> merged = histograms(b.getDataPointsList(), delta);
        b.clearDataPoints().addAllDataPoints(merged);
      }
      case EXPONENTIAL_HISTOGRAM -> {
        var b = m.getExponentialHistogramBuilder();
        boolean delta =
            b.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        List<ExponentialHistogramDataPoint> merged = exponentials(b.getDataPointsList(), delta);
        b.clearDataPoints().addAllDataPoints(merged);
      }
      case SUMMARY -> m.getSummaryBuilder().clearDataPoints();
      case DATA_NOT_SET -> {}
    }
  }

  private static String key(List<KeyValue> attrs, long time, Object... more) {
    Map<String, Object> sorted = new TreeMap<>(Values.fromKeyValues(attrs));
    return Values.toJson(sorted) + "|" + time + "|" + Arrays.deepToString(more);
  }

  private static <T> Map<String, List<T>> group(List<T> points, Function<T, String> key) {
    Map<String, List<T>> groups = new LinkedHashMap<>();
    for (T p : points) {
      groups.computeIfAbsent(key.apply(p), k -> new ArrayList<>()).add(p);
    }
    return groups;
  }

  private static List<NumberDataPoint> numbers(
      List<NumberDataPoint> points, boolean byStart, Kind f) {
    List<NumberDataPoint> out = new ArrayList<>();
    var groups =
        group(
            points,
            p ->
                key(
                    p.getAttributesList(),
                    p.getTimeUnixNano(),
                    byStart ? p.getStartTimeUnixNano() : "-"));
    for (List<NumberDataPoint> g : groups.values()) {
      NumberDataPoint.Builder dp = g.get(0).toBuilder();
      for (int i = 1; i < g.size(); i++) {
        if (Long.compareUnsigned(g.get(i).getStartTimeUnixNano(), dp.getStartTimeUnixNano()) < 0) {
          dp.setStartTimeUnixNano(g.get(i).getStartTimeUnixNano());
        }
      }
      if (dp.hasAsDouble()) {
        List<Double> vs = new ArrayList<>();
        g.forEach(p -> vs.add(p.hasAsInt() ? (double) p.getAsInt() : p.getAsDouble()));
        dp.setAsDouble(mergeDoubles(vs, f));
      } else if (dp.hasAsInt()) {
        List<Long> vs = new ArrayList<>();
        g.forEach(p -> vs.add(p.hasAsDouble() ? (long) p.getAsDouble() : p.getAsInt()));
        dp.setAsInt(mergeLongs(vs, f));
      }
      out.add(dp.build());
    }
    return out;
  }

  private static double mergeDoubles(List<Double> vs, Kind f) {
    double v = vs.get(0);
    for (int i = 1; i < vs.size(); i++) {
      double o = vs.get(i);
      v =
          switch (f) {
            case SUM, MEAN -> v + o;
            case MAX -> Math.max(v, o);
            case MIN -> Math.min(v, o);
            case COUNT -> vs.size(); // a group of one keeps its value, as in the collector
            case MEDIAN -> v;
          };
    }
    if (f == Kind.MEAN) {
      v = v / vs.size();
    } else if (f == Kind.MEDIAN && vs.size() > 1) {
      List<Double> sorted = new ArrayList<>(vs);
      Collections.sort(sorted);
      int mid = sorted.size() / 2;
      v = sorted.size() % 2 != 0 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
    return v;
  }

  private static long mergeLongs(List<Long> vs, Kind f) {
    long v = vs.get(0);
    for (int i = 1; i < vs.size(); i++) {
      long o = vs.get(i);
      v =
          switch (f) {
            case SUM, MEAN -> v + o;
            case MAX -> Math.max(v, o);
            case MIN -> Math.min(v, o);
            case COUNT -> vs.size();
            case MEDIAN -> v;
          };
    }
    if (f == Kind.MEDIAN && vs.size() > 1) {
      List<Long> sorted = new ArrayList<>(vs);
      Collections.sort(sorted);
      int mid = sorted.size() / 2;
      v = sorted.size() % 2 != 0 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    } else if (f == Kind.MEAN) {
      v = v / vs.size();
    }
    return v;
  }

  private static List<HistogramDataPoint> histograms(
      List<HistogramDataPoint> points, boolean byStart) {
    List<HistogramDataPoint> out = new ArrayList<>();
    var groups =
        group(
            points,
            p ->
                key(
                    p.getAttributesList(),
                    p.getTimeUnixNano(),
                    p.getExplicitBoundsList(),
                    byStart ? p.getStartTimeUnixNano() : "-",
                    p.hasMin(),
                    p.hasMax(),
                    p.getFlags()));
    for (List<HistogramDataPoint> g : groups.values()) {
      HistogramDataPoint.Builder dp = g.get(0).toBuilder();
      for (int i = 1; i < g.size(); i++) {
        HistogramDataPoint o = g.get(i);
        if (o.getCount() == 0) {
          continue;
        }
        dp.setCount(dp.getCount() + o.getCount()).setSum(dp.getSum() + o.getSum());
        if (dp.hasMin() && dp.getMin() > o.getMin()) {
          dp.setMin(o.getMin());
        }
        if (dp.hasMax() && dp.getMax() < o.getMax()) {
          dp.setMax(o.getMax());
        }
        List<Long> counts = add(dp.getBucketCountsList(), o.getBucketCountsList());
        dp.clearBucketCounts().addAllBucketCounts(counts).addAllExemplars(o.getExemplarsList());
        if (Long.compareUnsigned(o.getStartTimeUnixNano(), dp.getStartTimeUnixNano()) < 0) {
          dp.setStartTimeUnixNano(o.getStartTimeUnixNano());
        }
      }
      out.add(dp.build());
    }
    return out;
  }

  private static List<ExponentialHistogramDataPoint> exponentials(
      List<ExponentialHistogramDataPoint> points, boolean byStart) {
    List<ExponentialHistogramDataPoint> out = new ArrayList<>();
    var groups =
        group(
            points,
            p ->
                key(
                    p.getAttributesList(),
                    p.getTimeUnixNano(),
                    p.getScale(),
                    p.hasMin(),
                    p.hasMax(),
                    p.getFlags(),
                    p.getNegative().getOffset(),
                    p.getPositive().getOffset(),
                    byStart ? p.getStartTimeUnixNano() : "-"));
    for (List<ExponentialHistogramDataPoint> g : groups.values()) {
      ExponentialHistogramDataPoint.Builder dp = g.get(0).toBuilder();
      for (int i = 1; i < g.size(); i++) {
        ExponentialHistogramDataPoint o = g.get(i);
        if (o.getCount() == 0) {
          continue;
        }
        dp.setCount(dp.getCount() + o.getCount()).setSum(dp.getSum() + o.getSum());
        if (dp.hasMin() && dp.getMin() > o.getMin()) {
          dp.setMin(o.getMin());
        }
        if (dp.hasMax() && dp.getMax() < o.getMax()) {
          dp.setMax(o.getMax());
        }
        var neg = dp.getNegativeBuilder();
        List<Long> n = add(neg.getBucketCountsList(), o.getNegative().getBucketCountsList());
        neg.clearBucketCounts().addAllBucketCounts(n);
        var pos = dp.getPositiveBuilder();
        List<Long> p = add(pos.getBucketCountsList(), o.getPositive().getBucketCountsList());
        pos.clearBucketCounts().addAllBucketCounts(p);
        dp.addAllExemplars(o.getExemplarsList());
        if (Long.compareUnsigned(o.getStartTimeUnixNano(), dp.getStartTimeUnixNano()) < 0) {
          dp.setStartTimeUnixNano(o.getStartTimeUnixNano());
        }
      }
      out.add(dp.build());
    }
    return out;
  }

  private static List<Long> add(List<Long> into, List<Long> more) {
    List<Long> out = new ArrayList<>(into);
    for (int b = 0; b < more.size(); b++) {
      if (b < out.size()) {
        out.set(b, out.get(b) + more.get(b));
      } else {
        out.add(more.get(b));
      }
    }
    return out;
  }
}
