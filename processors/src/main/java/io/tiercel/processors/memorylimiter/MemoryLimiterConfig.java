package io.tiercel.processors.memorylimiter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Validatable;
import java.time.Duration;

/**
 * Config of the {@code memory_limiter} processor. Limits apply to the JVM heap: percentages are of
 * the maximum heap ({@code -Xmx}), the limit the JVM itself enforces.
 *
 * @param checkInterval time between heap measurements (required; 1s is a good value)
 * @param limitMib hard limit in MiB; above it a garbage collection is forced (takes precedence over
 *     the percentage)
 * @param spikeLimitMib expected growth between checks; soft limit = limit - spike (default 20% of
 *     the limit)
 * @param limitPercentage hard limit as a percentage of the maximum heap
 * @param spikeLimitPercentage spike as a percentage of the maximum heap
 * @param minGcIntervalWhenSoftLimited minimum time between forced GCs above the soft limit (10s)
 * @param minGcIntervalWhenHardLimited minimum time between forced GCs above the hard limit (0)
 */
public record MemoryLimiterConfig(
    Duration checkInterval,
    long limitMib,
    long spikeLimitMib,
    int limitPercentage,
    int spikeLimitPercentage,
    Duration minGcIntervalWhenSoftLimited,
    Duration minGcIntervalWhenHardLimited)
    implements Validatable {
  /** The collector's defaults: nothing set, so a config must give check_interval and a limit. */
  public static final MemoryLimiterConfig DEFAULT =
      new MemoryLimiterConfig(Duration.ZERO, 0, 0, 0, 0, Duration.ofSeconds(10), Duration.ZERO);

  public MemoryLimiterConfig {
    if (checkInterval.isNegative()) {
      throw new InvalidValueException(
          "check_interval", "must not be negative, got " + checkInterval);
    }
    if (limitMib < 0) {
      throw new InvalidValueException("limit_mib", "must not be negative, got " + limitMib);
    }
    if (spikeLimitMib < 0) {
      throw new InvalidValueException(
          "spike_limit_mib", "must not be negative, got " + spikeLimitMib);
    }
    if (limitPercentage < 0 || limitPercentage > 100) {
      throw new InvalidValueException(
          "limit_percentage", "must be between 0 and 100, got " + limitPercentage);
    }
    if (spikeLimitPercentage < 0 || spikeLimitPercentage > 100) {
      throw new InvalidValueException(
          "spike_limit_percentage", "must be between 0 and 100, got " + spikeLimitPercentage);
    }
  }

  @Override
  public void validate() {
    if (checkInterval.isZero()) {
      throw new InvalidValueException("check_interval", "must be greater than zero");
    }
    if (limitMib == 0 && limitPercentage == 0) {
      throw new InvalidValueException(
          "limit_mib", "one of limit_mib or limit_percentage must be set");
    }
    if (limitMib > 0 && spikeLimitMib >= limitMib) {
      throw new InvalidValueException(
          "spike_limit_mib",
          "must be smaller than limit_mib (" + limitMib + "), got " + spikeLimitMib);
    }
    if (limitMib == 0 && spikeLimitPercentage >= limitPercentage) {
      throw new InvalidValueException(
          "spike_limit_percentage",
          "must be smaller than limit_percentage ("
              + limitPercentage
              + "), got "
              + spikeLimitPercentage);
    }
  }

  /** Hard limit in bytes for a heap of {@code maxHeap} bytes. */
  long hardLimitBytes(long maxHeap) {
    return limitMib > 0 ? limitMib << 20 : maxHeap / 100 * limitPercentage;
  }

  /**
   * Soft limit in bytes: hard limit minus the spike allowance (20% of the hard limit when not set).
   */
  long softLimitBytes(long maxHeap) {
    long hard = hardLimitBytes(maxHeap);
    long spike;
    if (limitMib > 0) {
      spike = spikeLimitMib > 0 ? spikeLimitMib << 20 : hard / 5;
    } else {
      spike = spikeLimitPercentage > 0 ? maxHeap / 100 * spikeLimitPercentage : hard / 5;
    }
    return hard - spike;
  }
}
