package io.tiercel.processors.transform.functions;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Spreads an exponential histogram point's buckets over explicit bounds, giving {@code
 * bounds.length + 1} counts, as the collector's conversion does: {@code upper} and {@code midpoint}
 * put a whole source bucket where that point of it falls; {@code uniform} and {@code random}
 * apportion it by linear overlap, rounding cumulative shares (up for uniform, at a random offset
 * for random) so the total is kept exactly. Zero-bucket counts spread over [-threshold, threshold].
 */
final class ExpoToExplicit {
  static final Set<String> DISTRIBUTIONS = Set.of("upper", "midpoint", "uniform", "random");
  private static final BigInteger MAX_UINT64 =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigDecimal TWO_64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));

  private ExpoToExplicit() {}

  /** Null when the bounds are usable, else what they must be. */
  static @Nullable String checkBounds(List<Double> bounds) {
    if (bounds.isEmpty()) {
      return "a non-empty list (explicit bounds cannot be empty)";
    }
    for (int i = 0; i < bounds.size(); i++) {
      if (bounds.get(i).isNaN()) {
        return "a list of numbers, not NaN at index " + i;
      }
      if (i > 0 && bounds.get(i) <= bounds.get(i - 1)) {
        return "strictly increasing, not at index "
            + i
            + ": "
            + Values.formatDouble(bounds.get(i))
            + " <= "
            + Values.formatDouble(bounds.get(i - 1));
      }
    }
    return null;
  }

  static long[] convert(ExponentialHistogramDataPoint p, double[] bounds, String distribution) {
    double zt = p.getZeroThreshold();
    if (Double.isNaN(zt) || Double.isInfinite(zt) || zt < 0) {
      throw new OttlRuntimeException("invalid zero threshold: " + Values.formatDouble(zt));
    }
    int scale = p.getScale();
    if (scale < -10 || scale > 20) {
      throw new OttlRuntimeException("invalid exponential histogram scale " + scale);
    }
    long total = p.getZeroCount();
    for (long c : p.getNegative().getBucketCountsList()) {
      total += c;
    }
    for (long c : p.getPositive().getBucketCountsList()) {
      total += c;
    }
    if (total != p.getCount()) {
      throw new OttlRuntimeException(
          "source histogram count "
              + Long.toUnsignedString(p.getCount())
              + " does not match bucket count "
              + Long.toUnsignedString(total));
    }
    long[] out = new long[bounds.length + 1];
    if (p.getZeroCount() != 0) {
      distribute(out, bounds, -zt, zt, p.getZeroCount(), distribution);
    }
    buckets(out, bounds, p.getNegative(), scale, distribution, true);
    buckets(out, bounds, p.getPositive(), scale, distribution, false);
    return out;
  }

  private static void buckets(
      long[] out,
      double[] bounds,
      ExponentialHistogramDataPoint.Buckets b,
      int scale,
      String distribution,
      boolean negative) {
    int n = b.getBucketCountsCount();
    if (n == 0) {
      return;
    }
    double lower = PercentileFunction.bound(b.getOffset(), scale);
    for (int pos = 0; pos < n; pos++) {
      double upper = PercentileFunction.bound(b.getOffset() + pos + 1, scale);
      if (Double.isInfinite(upper) && pos == n - 1) {
        upper = Double.MAX_VALUE;
      }
      if (!(lower < upper) || Double.isInfinite(upper)) {
        throw new OttlRuntimeException(
            (negative ? "negative" : "positive")
                + " buckets: invalid bucket interval ("
                + Values.formatDouble(lower)
                + ", "
                + Values.formatDouble(upper)
                + "]");
      }
      long count = b.getBucketCounts(pos);
      if (count != 0) {
        if (negative) {
          distribute(out, bounds, -upper, -lower, count, distribution);
        } else {
          distribute(out, bounds, lower, upper, count, distribution);
        }
      }
      lower = upper;
    }
  }

  private static void distribute(
      long[] out, double[] bounds, double lower, double upper, long count, String distribution) {
    if (lower == upper) {
      out[bucket(bounds, lower)] += count;
      return;
    }
    switch (distribution) {
      case "upper" -> out[bucket(bounds, upper)] += count;
      case "midpoint" -> out[bucket(bounds, lower / 2 + upper / 2)] += count;
      case "uniform" -> weighted(out, bounds, lower, upper, count, MAX_UINT64);
      default ->
          weighted(
              out,
              bounds,
              lower,
              upper,
              count,
              new BigInteger(Long.toUnsignedString(ThreadLocalRandom.current().nextLong())));
    }
  }

  /** Apportions {@code count} by linear overlap, rounding cumulative shares at {@code offset}. */
  private static void weighted(
      long[] out, double[] bounds, double lower, double upper, long count, BigInteger offset) {
    int first = bucket(bounds, lower);
    int last = bucket(bounds, upper);
    double total = upper - lower;
    if (!(total > 0) || Double.isInfinite(total)) {
      throw new OttlRuntimeException(
          "cannot distribute bucket interval ("
              + Values.formatDouble(lower)
              + ", "
              + Values.formatDouble(upper)
              + "]");
    }
    long allocated = 0;
    double cumulative = 0;
    for (int b = first; b <= last; b++) {
      double bucketLower = b == 0 ? Double.NEGATIVE_INFINITY : bounds[b - 1];
      double bucketUpper = b == bounds.length ? Double.POSITIVE_INFINITY : bounds[b];
      double overlapLower = Math.max(lower, bucketLower);
      double overlapUpper = Math.min(upper, bucketUpper);
      if (overlapLower >= overlapUpper) {
        continue;
      }
      long next;
      if (b == last) {
        next = count;
      } else {
        cumulative += (overlapUpper - overlapLower) / total;
        next = Math.max(roundedPrefix(count, cumulative, offset), allocated);
      }
      out[b] += next - allocated;
      allocated = next;
    }
  }

  /** {@code count * cumulative} in 64-bit fixed point, rounded up when the offset carries. */
  private static long roundedPrefix(long count, double cumulative, BigInteger offset) {
    if (cumulative <= 0) {
      return 0;
    }
    if (cumulative >= 1) {
      return count;
    }
    BigInteger fraction =
        new BigDecimal(cumulative).multiply(TWO_64).toBigInteger().min(MAX_UINT64);
    BigInteger product = new BigInteger(Long.toUnsignedString(count)).multiply(fraction);
    BigInteger high = product.shiftRight(64);
    BigInteger low = product.and(MAX_UINT64);
    if (low.add(offset).compareTo(MAX_UINT64) > 0 && !high.equals(MAX_UINT64)) {
      high = high.add(BigInteger.ONE);
    }
    return high.min(new BigInteger(Long.toUnsignedString(count))).longValue();
  }

  /** The explicit bucket holding {@code value}: the first bound at or above it, else overflow. */
  private static int bucket(double[] bounds, double value) {
    int lo = 0;
    int hi = bounds.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (value <= bounds[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
