package io.tiercel.kafka.receiver;

import io.tiercel.core.exporterhelper.RetryConfig;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for the retryable failures of one record ({@code error_backoff}).
 * Unlike an exporter's retry it never gives up on the data: past {@code max_elapsed_time} it
 * reports {@link #exhausted} and keeps answering {@code max_interval}. With {@code enabled: false}
 * every wait is {@code initial_interval}. Not thread-safe (the poll thread owns it).
 */
final class RetryBackoff {
  private final RetryConfig cfg;
  private final DoubleSupplier random;
  private long firstFailureNanos;
  private double currentNanos;
  private int attempts;

  RetryBackoff(RetryConfig cfg, DoubleSupplier random) {
    this.cfg = cfg;
    this.random = random;
    reset();
  }

  /** Forgets earlier failures (after a success). */
  void reset() {
    attempts = 0;
    currentNanos = cfg.initialInterval().toNanos();
  }

  /** Failures since the last {@link #reset}. */
  int attempts() {
    return attempts;
  }

  /**
   * The wait after a failure at {@code nowNanos}; {@code throttle}, when asked for, is the minimum.
   */
  Duration next(long nowNanos, Duration throttle) {
    if (attempts++ == 0) {
      firstFailureNanos = nowNanos;
    }
    long wait;
    if (!cfg.enabled()) {
      wait = cfg.initialInterval().toNanos();
    } else {
      double f = cfg.randomizationFactor();
      double delta = f * currentNanos;
      wait = (long) (currentNanos - delta + random.getAsDouble() * (2 * delta));
      currentNanos = Math.min(currentNanos * cfg.multiplier(), cfg.maxInterval().toNanos());
    }
    if (throttle != null && throttle.toNanos() > wait) {
      wait = throttle.toNanos();
    }
    return Duration.ofNanos(Math.max(wait, 1_000_000));
  }

  /** True when failures have lasted longer than {@code max_elapsed_time} (never when it is 0). */
  boolean exhausted(long nowNanos) {
    long max = cfg.maxElapsedTime().toNanos();
    return attempts > 0 && max > 0 && nowNanos - firstFailureNanos >= max;
  }
}
