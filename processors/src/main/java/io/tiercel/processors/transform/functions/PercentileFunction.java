package io.tiercel.processors.transform.functions;

import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.func.ParamKind;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * extract_percentile_metric (metric context): a gauge with one point per histogram or exponential
 * histogram point, the percentile estimated from the buckets (linear interpolation in explicit
 * buckets, bounded by Min and Max where the outer buckets are open; logarithmic interpolation in
 * exponential buckets). Points without buckets are skipped; malformed buckets are an error.
 */
final class PercentileFunction {
  private static final String NAME = "extract_percentile_metric";

  private PercentileFunction() {}

  static void register(FunctionRegistry.Builder b) {
    b.editorIn(
        OttlContext.METRIC,
        NAME,
        (a, cols, col) -> {
          double p = (Double) a[0];
          if (!(p > 0 && p < 100)) {
            throw MetricSupport.argError(
                cols[0],
                NAME,
                "percentile",
                "greater than 0 and less than 100, got " + String.format(Locale.ROOT, "%f", p));
          }
          String given = (String) a[1];
          String label = Values.formatDouble(p);
          return extract(p, given == null || given.isEmpty() ? "_p" + label : given, label);
        },
        required("percentile", ParamKind.FLOAT_LIT),
        optional("suffix", ParamKind.STR_LIT));
  }

  private static Getter extract(double percentile, String suffix, String label) {
    return c -> {
      Metric.Builder m = MetricSupport.metric(c);
      Gauge.Builder gauge = Gauge.newBuilder();
      if (m.hasHistogram()) {
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          Double v = histogram(p, percentile);
          if (v != null) {
            gauge.addDataPoints(point(p.getAttributesList(), p.getStartTimeUnixNano(), p, v));
          }
        }
      } else if (m.hasExponentialHistogram()) {
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          Double v = exponential(p, percentile);
          if (v != null) {
            gauge.addDataPoints(point(p.getAttributesList(), p.getStartTimeUnixNano(), p, v));
          }
        }
      } else {
        return null;
      }
      if (gauge.getDataPointsCount() > 0) {
        String d = m.getDescription();
        MetricSupport.append(
            c,
            Metric.newBuilder()
                .setName(m.getName() + suffix)
                .setDescription(d.isEmpty() ? "p" + label : d + " (p" + label + ")")
                .setUnit(m.getUnit())
                .setGauge(gauge)
                .build());
      }
      return null;
    };
  }

  private static NumberDataPoint point(
      List<io.opentelemetry.proto.common.v1.KeyValue> attrs, long start, Object src, double v) {
    long time =
        src instanceof HistogramDataPoint h
            ? h.getTimeUnixNano()
            : ((ExponentialHistogramDataPoint) src).getTimeUnixNano();
    return NumberDataPoint.newBuilder()
        .addAllAttributes(attrs)
        .setAsDouble(v)
        .setStartTimeUnixNano(start)
        .setTimeUnixNano(time)
        .build();
  }

  /** The percentile of an explicit histogram point, or null to skip it. */
  static @Nullable Double histogram(HistogramDataPoint p, double percentile) {
    int n = p.getBucketCountsCount();
    if (p.getCount() == 0 || n == 0) {
      return null;
    }
    long target = (long) Math.ceil((double) p.getCount() * (percentile / 100.0));
    int bounds = p.getExplicitBoundsCount();
    if (n != bounds + 1) {
      throw new OttlRuntimeException(
          "calculating histogram percentile: malformed data: bucketCounts length ("
              + n
              + ") != explicitBounds length ("
              + bounds
              + ") + 1");
    }
    if (n == 1) {
      if (!p.hasMin() || !p.hasMax()) {
        return null; // one bucket spans everything: only Min and Max bound it
      }
      return linear(p.getMin(), p.getMax(), (double) target / p.getBucketCounts(0));
    }
    long cumulative = 0;
    for (int i = 0; i < n; i++) {
      long previous = cumulative;
      cumulative += p.getBucketCounts(i);
      if (Long.compareUnsigned(cumulative, target) < 0) {
        continue;
      }
      double lower;
      double upper;
      if (i == 0) {
        upper = p.getExplicitBounds(0);
        lower = 0;
        if (p.hasMin() && p.getMin() < upper) {
          lower = p.getMin();
        } else if (0 > upper) {
          return upper; // no finite lower bound to interpolate from
        }
      } else {
        lower = p.getExplicitBounds(i - 1);
        if (i < bounds) {
          upper = p.getExplicitBounds(i);
        } else if (!p.hasMax() || p.getMax() <= lower) {
          return lower;
        } else {
          upper = p.getMax();
        }
      }
      return linear(lower, upper, (double) (target - previous) / p.getBucketCounts(i));
    }
    throw new OttlRuntimeException(
        "calculating histogram percentile: malformed data: cumulative count doesn't reach target"
            + " count corresponding to percentile. targetCount="
            + target
            + ", total count="
            + cumulative);
  }

  /** The percentile of an exponential histogram point, or null to skip it. */
  static @Nullable Double exponential(ExponentialHistogramDataPoint p, double percentile) {
    var neg = p.getNegative();
    var pos = p.getPositive();
    if (p.getCount() == 0
        || (neg.getBucketCountsCount() == 0
            && pos.getBucketCountsCount() == 0
            && p.getZeroCount() == 0)) {
      return null;
    }
    long target = (long) Math.ceil((double) p.getCount() * (percentile / 100.0));
    int scale = p.getScale();
    long negTotal = 0;
    // from the most negative bucket (the highest index) up towards zero
    for (int i = neg.getBucketCountsCount() - 1; i >= 0; i--) {
      long previous = negTotal;
      negTotal += neg.getBucketCounts(i);
      if (negTotal >= target) {
        int index = neg.getOffset() + i;
        double absLower = bound(index, scale);
        double absUpper = bound(index + 1, scale);
        if (absLower >= absUpper) {
          throw new OttlRuntimeException(
              "calculating exponential histogram percentile: malformed negative bucket bounds");
        }
        double ratio = (double) (target - previous) / neg.getBucketCounts(i);
        return -logarithmic(absLower, absUpper, 1 - ratio);
      }
    }
    long afterZero = negTotal + p.getZeroCount();
    if (afterZero >= target) {
      double lower = -p.getZeroThreshold();
      double upper = p.getZeroThreshold();
      boolean hasNeg = neg.getBucketCountsCount() != 0;
      boolean hasPos = pos.getBucketCountsCount() != 0;
      if (!hasNeg && hasPos) {
        lower = 0;
      } else if (!hasPos && hasNeg) {
        upper = 0;
      }
      return linear(lower, upper, (double) (target - negTotal) / p.getZeroCount());
    }
    long cumulative = afterZero;
    for (int i = 0; i < pos.getBucketCountsCount(); i++) {
      long previous = cumulative;
      cumulative += pos.getBucketCounts(i);
      if (cumulative >= target) {
        int index = pos.getOffset() + i;
        double ratio = (double) (target - previous) / pos.getBucketCounts(i);
        return logarithmic(bound(index, scale), bound(index + 1, scale), ratio);
      }
    }
    throw new OttlRuntimeException(
        "calculating exponential histogram percentile: malformed data: cumulative count doesn't"
            + " reach target count corresponding to percentile. targetCount="
            + target
            + ", total count="
            + cumulative);
  }

  private static double linear(double lower, double upper, double ratio) {
    if (ratio < 0 || ratio > 1) {
      throw new OttlRuntimeException(
          String.format(
              Locale.ROOT,
              "linear interpolation: invalid ratio %.6f, must be between 0 and 1",
              ratio));
    }
    return lower + ratio * (upper - lower);
  }

  private static double logarithmic(double lower, double upper, double ratio) {
    if (ratio < 0 || ratio > 1) {
      throw new OttlRuntimeException(
          String.format(
              Locale.ROOT,
              "logarithmic interpolation: invalid ratio %.6f, must be between 0 and 1",
              ratio));
    }
    double logLower = Math.log(lower) / Math.log(2);
    double logUpper = Math.log(upper) / Math.log(2);
    return Math.pow(2, logLower + (logUpper - logLower) * ratio);
  }

  /** The lower bound of exponential bucket {@code index} at {@code scale} (the data model's). */
  static double bound(int index, int scale) {
    if (scale <= 0) {
      return Math.scalb(1.0, index << -scale);
    }
    return Math.exp(index * Math.scalb(Math.log(2), -scale));
  }
}
