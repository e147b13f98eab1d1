package io.tiercel.kafka.common.config;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;

/**
 * {@code metadata}: cluster metadata.
 *
 * @param full accepted for the collector's configs; the Java client always fetches metadata per
 *     topic
 * @param refreshInterval how often metadata is refreshed in the background ({@code
 *     metadata.max.age.ms}; 10m)
 * @param retry how often to try the first metadata fetch at start before going on in the background
 */
public record MetadataConfig(boolean full, Duration refreshInterval, MetadataRetry retry) {
  public static final MetadataConfig DEFAULT =
      new MetadataConfig(true, Duration.ofMinutes(10), MetadataRetry.DEFAULT);

  public MetadataConfig {
    if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new InvalidValueException(
          "refresh_interval", "must be positive, got " + refreshInterval);
    }
    if (retry == null) {
      retry = MetadataRetry.DEFAULT;
    }
  }

  /**
   * {@code metadata.retry}.
   *
   * @param max attempts after the first (3)
   * @param backoff wait between attempts (250ms)
   */
  public record MetadataRetry(int max, Duration backoff) {
    public static final MetadataRetry DEFAULT = new MetadataRetry(3, Duration.ofMillis(250));

    public MetadataRetry {
      if (max < 0) {
        throw new InvalidValueException("max", "must not be negative, got " + max);
      }
      if (backoff == null || backoff.isNegative()) {
        throw new InvalidValueException("backoff", "must not be negative, got " + backoff);
      }
    }
  }
}
