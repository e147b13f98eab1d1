package io.tiercel.core.exporterhelper;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with jitter for one request's retries. Not thread-safe: one per request. */
final class Backoff {
  private final RetryConfig cfg;
  private final DoubleSupplier random;
  private final long startNanos;
  private double currentNanos;

  Backoff(RetryConfig cfg, DoubleSupplier random, long startNanos) {
    this.cfg = cfg;
    this.random = random;
    this.startNanos = startNanos;
    this.currentNanos = cfg.initialInterval().toNanos();
  }

  /**
   * The wait before the next attempt, or null when retries are exhausted ({@code max_elapsed_time}
   * would be passed). {@code throttle}, when the failure asked for one, is the minimum.
   */
  Duration next(long nowNanos, Duration throttle) {
    double f = cfg.randomizationFactor();
    double delta = f * currentNanos;
    long wait = (long) (currentNanos - delta + random.getAsDouble() * (2 * delta + 1));
    currentNanos = Math.min(currentNanos * cfg.multiplier(), cfg.maxInterval().toNanos());
    if (throttle != null && throttle.toNanos() > wait) {
      wait = throttle.toNanos();
    }
    long maxElapsed = cfg.maxElapsedTime().toNanos();
    if (maxElapsed > 0 && nowNanos - startNanos + wait > maxElapsed) {
      return null;
    }
    return Duration.ofNanos(wait);
  }
}
