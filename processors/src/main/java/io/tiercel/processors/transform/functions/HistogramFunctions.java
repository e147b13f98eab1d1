package io.tiercel.processors.transform.functions;

import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.func.ParamKind;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * convert_exponential_histogram_to_histogram (metric context, with {@link ExpoToExplicit}) and
 * merge_histogram_buckets (datapoint context: merges one explicit boundary away, or compacts to at
 * most a number of buckets).
 */
final class HistogramFunctions {
  private static final String CONVERT = "convert_exponential_histogram_to_histogram";
  private static final String MERGE = "merge_histogram_buckets";
  private static final String REMOVE_BOUND = "remove_explicit_bound";
  private static final String LIMIT = "limit_buckets";

  private HistogramFunctions() {}

  static void register(FunctionRegistry.Builder b) {
    b.editorIn(
        OttlContext.METRIC,
        CONVERT,
        (a, cols, col) -> {
          String dist = ((String) a[0]).isEmpty() ? "random" : (String) a[0];
          if (!ExpoToExplicit.DISTRIBUTIONS.contains(dist)) {
            throw MetricSupport.argError(
                cols[0],
                CONVERT,
                "distribution_fn",
                "one of upper, midpoint, uniform, random, not \"" + dist + "\"");
          }
          @SuppressWarnings("unchecked")
          List<Double> bounds = (List<Double>) a[1];
          String problem = ExpoToExplicit.checkBounds(bounds);
          if (problem != null) {
            throw MetricSupport.argError(cols[1], CONVERT, "explicit_bounds", problem);
          }
          double[] bs = bounds.stream().mapToDouble(Double::doubleValue).toArray();
          return convert(dist, bs);
        },
        required("distribution_fn", ParamKind.STR_LIT),
        required("explicit_bounds", ParamKind.FLOAT_LIST_LIT));
    b.editorIn(
        OttlContext.DATAPOINT,
        MERGE,
        (a, cols, col) -> {
          String method = a[1] == null ? REMOVE_BOUND : (String) a[1];
          if (!method.equals(REMOVE_BOUND) && !method.equals(LIMIT)) {
            throw MetricSupport.argError(
                cols[1],
                MERGE,
                "method",
                "\"" + REMOVE_BOUND + "\" or \"" + LIMIT + "\", not \"" + method + "\"");
          }
          if (a[0] instanceof Double literal && method.equals(LIMIT)) {
            String problem = limitProblem(literal);
            if (problem != null) {
              throw MetricSupport.argError(cols[0], MERGE, "target_value", problem);
            }
          }
          Object target = a[0];
          return c -> {
            if (!(c.dataPoint() instanceof HistogramDataPoint.Builder dp)) {
              return null;
            }
            double t = target instanceof Double d ? d : number(((Getter) target).get(c));
            if (method.equals(REMOVE_BOUND)) {
              removeBound(dp, t);
            } else {
              String problem = limitProblem(t);
              if (problem != null) {
                throw new OttlRuntimeException("target_value must be " + problem);
              }
              limit(dp, (long) t);
            }
            return null;
          };
        },
        required("target_value", ParamKind.FLOAT_LIKE),
        optional("method", ParamKind.STR_LIT));
  }

  private static Getter convert(String distribution, double[] bounds) {
    return c -> {
      Metric.Builder m = MetricSupport.metric(c);
      if (!m.hasExponentialHistogram()) {
        return null;
      }
      var source = m.getExponentialHistogram();
      List<long[]> converted = new ArrayList<>();
      for (int i = 0; i < source.getDataPointsCount(); i++) {
        try {
          converted.add(ExpoToExplicit.convert(source.getDataPoints(i), bounds, distribution));
        } catch (OttlRuntimeException e) {
          throw new OttlRuntimeException(
              "converting exponential histogram data point " + i + ": " + e.getMessage());
        }
      }
      Histogram.Builder h =
          Histogram.newBuilder().setAggregationTemporality(source.getAggregationTemporality());
      for (int i = 0; i < source.getDataPointsCount(); i++) {
        ExponentialHistogramDataPoint s = source.getDataPoints(i);
        HistogramDataPoint.Builder d =
            HistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(s.getStartTimeUnixNano())
                .setTimeUnixNano(s.getTimeUnixNano())
                .setCount(s.getCount())
                .setFlags(s.getFlags())
                .addAllExemplars(s.getExemplarsList())
                .addAllAttributes(s.getAttributesList());
        if (s.hasSum()) {
          d.setSum(s.getSum());
        }
        if (s.hasMin()) {
          d.setMin(s.getMin());
        }
        if (s.hasMax()) {
          d.setMax(s.getMax());
        }
        for (double bound : bounds) {
          d.addExplicitBounds(bound);
        }
        for (long count : converted.get(i)) {
          d.addBucketCounts(count);
        }
        h.addDataPoints(d);
      }
      m.setHistogram(h);
      return null;
    };
  }

  private static double number(@Nullable Object v) {
    v = Values.norm(v);
    if (v instanceof Double d) {
      return d;
    } else if (v instanceof Long l) {
      return l;
    } else if (v instanceof Boolean b) {
      return b ? 1 : 0;
    } else if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new OttlRuntimeException(MERGE + ": " + s + " is not a valid float");
      }
    } else if (v == null) {
      throw new OttlRuntimeException("target_value must not be nil");
    }
    throw new OttlRuntimeException(
        MERGE + ": expected a number for target_value but got " + Values.typeName(v));
  }

  private static @Nullable String limitProblem(double t) {
    if (t < 1 || Math.rint(t) != t || t > Long.MAX_VALUE) {
      return "a positive integer when method is \"" + LIMIT + "\", got " + Values.formatDouble(t);
    }
    return null;
  }

  /** Merges the bucket ending at {@code bound} (within 1e-12) into the next one. */
  private static void removeBound(HistogramDataPoint.Builder dp, double bound) {
    int n = dp.getBucketCountsCount();
    if (dp.getExplicitBoundsCount() + 1 != n || n == 1) {
      return;
    }
    int at = -1;
    for (int i = 0; i < dp.getExplicitBoundsCount() && at < 0; i++) {
      at = Math.abs(dp.getExplicitBounds(i) - bound) < 1e-12 ? i : -1;
    }
    if (at < 0) {
      return;
    }
    List<Double> bounds = new ArrayList<>(dp.getExplicitBoundsList());
    List<Long> counts = new ArrayList<>(dp.getBucketCountsList());
    counts.set(at + 1, counts.get(at + 1) + counts.get(at));
    counts.remove(at);
    bounds.remove(at);
    dp.clearExplicitBounds().addAllExplicitBounds(bounds);
    dp.clearBucketCounts().addAllBucketCounts(counts);
  }

  /**
   * One uniform compaction pass: groups of the smallest size that leaves at most {@code max}
   * buckets, merged from the lowest bucket up, a partial last group kept.
   */
  private static void limit(HistogramDataPoint.Builder dp, long max) {
    int n = dp.getBucketCountsCount();
    if (dp.getExplicitBoundsCount() + 1 != n || n <= max || n <= 1) {
      return;
    }
    for (int i = 1; i < dp.getExplicitBoundsCount(); i++) {
      if (!(dp.getExplicitBounds(i) > dp.getExplicitBounds(i - 1))) {
        return;
      }
    }
    int divisor = (int) ((n - 1) / max + 1);
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < n; i += divisor) {
      long sum = 0;
      for (int j = i; j < Math.min(i + divisor, n); j++) {
        sum += dp.getBucketCounts(j);
      }
      counts.add(sum);
    }
    List<Double> bounds = new ArrayList<>();
    for (int i = divisor - 1; i < dp.getExplicitBoundsCount(); i += divisor) {
      bounds.add(dp.getExplicitBounds(i));
    }
    dp.clearExplicitBounds().addAllExplicitBounds(bounds);
    dp.clearBucketCounts().addAllBucketCounts(counts);
  }
}
