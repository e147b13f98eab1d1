package io.tiercel.core.builtin.debug;

import java.util.function.LongSupplier;

/**
 * Per-second sampling: lets the first {@code initial} calls of each one-second window through, then
 * every {@code thereafter}-th call of that window (none when 0). Thread-safe.
 */
final class Sampler {
  private static final long WINDOW_NANOS = 1_000_000_000L;
  private final int initial;
  private final int thereafter;
  private final LongSupplier nanoTime;
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private long windowStart;
  // @GuardedBy("lock")
  private long count;

  Sampler(int initial, int thereafter, LongSupplier nanoTime) {
    this.initial = initial;
    this.thereafter = thereafter;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  /** True when this call should be printed. */
  boolean sample() {
    long now = nanoTime.getAsLong();
    long n;
    synchronized (lock) {
      if (now - windowStart >= WINDOW_NANOS) {
        windowStart = now;
        count = 0;
      }
      n = ++count;
    }
    if (n <= initial) {
      return true;
    }
    return thereafter > 0 && (n - initial) % thereafter == 0;
  }
}
