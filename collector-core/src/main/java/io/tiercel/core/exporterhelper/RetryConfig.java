package io.tiercel.core.exporterhelper;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;

/**
 * {@code retry_on_failure}: exponential backoff for retryable failures; permanent failures are
 * never retried.
 *
 * @param enabled retry at all (default true)
 * @param initialInterval wait after the first failure (5s)
 * @param randomizationFactor jitter: each wait is drawn from {@code interval * [1 - f, 1 + f]}
 *     (0.5)
 * @param multiplier growth of the interval per attempt (1.5)
 * @param maxInterval upper bound of one wait (30s)
 * @param maxElapsedTime give up after this long since the first attempt; 0 retries forever (300s)
 */
public record RetryConfig(
    boolean enabled,
    Duration initialInterval,
    double randomizationFactor,
    double multiplier,
    Duration maxInterval,
    Duration maxElapsedTime) {
  public static final RetryConfig DEFAULT =
      new RetryConfig(
          true, Duration.ofSeconds(5), 0.5, 1.5, Duration.ofSeconds(30), Duration.ofSeconds(300));

  public RetryConfig {
    if (initialInterval.isNegative() || initialInterval.isZero() && enabled) {
      throw new InvalidValueException(
          "initial_interval", "must be positive, got " + initialInterval);
    }
    if (randomizationFactor < 0 || randomizationFactor > 1) {
      throw new InvalidValueException(
          "randomization_factor", "must be between 0 and 1, got " + randomizationFactor);
    }
    if (multiplier < 1) {
      throw new InvalidValueException("multiplier", "must be at least 1, got " + multiplier);
    }
    if (maxInterval.compareTo(initialInterval) < 0) {
      throw new InvalidValueException(
          "max_interval",
          "must not be less than initial_interval (" + initialInterval + "), got " + maxInterval);
    }
    if (maxElapsedTime.isNegative()) {
      throw new InvalidValueException(
          "max_elapsed_time", "must not be negative, got " + maxElapsedTime);
    }
  }

  /** A copy with retries switched off. */
  public static RetryConfig disabled() {
    return new RetryConfig(
        false,
        DEFAULT.initialInterval,
        DEFAULT.randomizationFactor,
        DEFAULT.multiplier,
        DEFAULT.maxInterval,
        DEFAULT.maxElapsedTime);
  }
}
