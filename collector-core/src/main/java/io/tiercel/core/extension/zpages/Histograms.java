package io.tiercel.core.extension.zpages;

import org.jspecify.annotations.Nullable;

/**
 * Quantiles from classic histogram buckets, the way Prometheus' {@code histogram_quantile} reads
 * them: find the bucket holding the rank, interpolate linearly inside it (from 0, or the previous
 * bound); a rank in the open last bucket answers the highest finite bound.
 */
final class Histograms {
  private Histograms() {}

  /**
   * The {@code q} quantile (0..1) of observations counted per bucket (not cumulative) with upper
   * bounds {@code bounds} (the last may be +Inf); null when nothing was observed.
   */
  static @Nullable Double quantile(double q, double[] bounds, long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total <= 0) {
      return null;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      long before = seen;
      seen += counts[i];
      if (seen >= rank && counts[i] > 0) {
        double upper = bounds[i];
        double lower = i == 0 ? Math.min(0, upper) : bounds[i - 1];
        if (Double.isInfinite(upper)) {
          return i == 0 ? null : bounds[i - 1];
        }
        return lower + (upper - lower) * ((rank - before) / counts[i]);
      }
    }
    return bounds[bounds.length - 1];
  }
}
