package io.tiercel.kafka.receiver;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;

/**
 * {@code autocommit}: how often marked offsets are committed. The Kafka client's own auto-commit is
 * never used (it commits what was polled, not what was finished).
 *
 * @param enable true: commit the marked offsets every {@code interval}; false: commit after every
 *     poll that marked something
 * @param interval the commit period (1s)
 */
public record AutoCommit(boolean enable, Duration interval) {
  public static final AutoCommit DEFAULT = new AutoCommit(true, Duration.ofSeconds(1));

  public AutoCommit {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new InvalidValueException("interval", "must be positive, got " + interval);
    }
  }
}
