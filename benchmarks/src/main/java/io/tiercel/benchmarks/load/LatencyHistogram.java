package io.tiercel.benchmarks.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, log-linear buckets (64 per power of two: under 1.6 % error),
 * thread-safe and of fixed size, so recording millions of samples neither allocates nor locks.
 */
final class LatencyHistogram {
  private static final int SUB = 64;
  private static final int LINEAR = 2 * SUB;
  private static final int MAX_EXP = 45;
  private final AtomicLongArray counts = new AtomicLongArray(LINEAR + (MAX_EXP - 6) * SUB);

  /** Adds {@code weight} samples of {@code micros} (negative values count as 0). */
  void record(long micros, long weight) {
    counts.addAndGet(index(Math.max(0, micros)), weight);
  }

  long count() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The value (microseconds) at quantile {@code q} in [0, 1]; -1 when empty. */
  long quantile(double q) {
    long total = count();
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return value(i);
      }
    }
    return value(counts.length() - 1);
  }

  static int index(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int exp = Math.min(63 - Long.numberOfLeadingZeros(v), MAX_EXP);
    int shift = exp - 6;
    int sub = (int) Math.min(SUB - 1, (v >> shift) - SUB);
    return LINEAR + (exp - 7) * SUB + sub;
  }

  /** The middle of bucket {@code i}. */
  static long value(int i) {
    if (i < LINEAR) {
      return i;
    }
    int exp = (i - LINEAR) / SUB + 7;
    int sub = (i - LINEAR) % SUB;
    int shift = exp - 6;
    return ((long) (SUB + sub) << shift) + ((1L << shift) >> 1);
  }
}
