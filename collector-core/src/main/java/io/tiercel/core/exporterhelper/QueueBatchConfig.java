package io.tiercel.core.exporterhelper;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code sending_queue.batch}: requests taken from the queue are merged into batches, sent when
 * they reach {@code min_size} or {@code flush_timeout} after their first request, and split so that
 * none is over {@code max_size}. Off unless the section is given ({@code batch: {}} switches it on
 * with the defaults; {@code enabled: false} switches it off again).
 *
 * @param enabled false switches the section off (default true once the section is given)
 * @param flushTimeout how long a batch waits for {@code min_size} after its first request (200ms);
 *     must be positive
 * @param sizer how the batch sizes are measured: items or bytes (requests cannot be merged by
 *     size); when not given, the queue's {@code sizer} if that is items or bytes, else items (see
 *     {@link QueueConfig})
 * @param minSize a batch of at least this size is sent at once (8192)
 * @param maxSize no batch is larger (a request is split across batches); 0: no limit (0)
 * @param partition batches per distinct client metadata values
 */
public record QueueBatchConfig(
    @Nullable Boolean enabled,
    @Nullable Duration flushTimeout,
    @Nullable Sizer sizer,
    @Nullable Long minSize,
    @Nullable Long maxSize,
    @Nullable Partition partition) {
  static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofMillis(200);
  static final long DEFAULT_MIN_SIZE = 8192;

  /**
   * {@code partition}: one batch per distinct combination of the values of these client metadata
   * keys (case-insensitive; an absent key and an empty value are distinct).
   */
  public record Partition(List<String> metadataKeys) {
    public Partition {
      metadataKeys = metadataKeys == null ? List.of() : List.copyOf(metadataKeys);
      Set<String> seen = new HashSet<>();
      for (String k : metadataKeys) {
        if (!seen.add(k.toLowerCase(Locale.ROOT))) {
          throw new InvalidValueException(
              "metadata_keys",
              "duplicate entry \"" + k.toLowerCase(Locale.ROOT) + "\" (keys are case-insensitive)");
        }
      }
    }
  }

  public QueueBatchConfig {
    if (enabled == null
        && flushTimeout == null
        && sizer == null
        && minSize == null
        && maxSize == null
        && partition == null) {
      sizer = Sizer.ITEMS; // an empty section does not take the queue's sizer
    }
    enabled = enabled == null || enabled;
    flushTimeout = flushTimeout == null ? DEFAULT_FLUSH_TIMEOUT : flushTimeout;
    minSize = minSize == null ? DEFAULT_MIN_SIZE : minSize;
    maxSize = maxSize == null ? 0L : maxSize;
    partition = partition == null ? new Partition(List.of()) : partition;
    if (sizer == Sizer.REQUESTS) {
      throw new InvalidValueException(
          "sizer", "batching supports only the items or bytes sizer, got \"requests\"");
    }
    if (flushTimeout.isNegative() || flushTimeout.isZero()) {
      throw new InvalidValueException("flush_timeout", "must be positive, got " + flushTimeout);
    }
    if (minSize < 0) {
      throw new InvalidValueException("min_size", "must not be negative, got " + minSize);
    }
    if (maxSize < 0) {
      throw new InvalidValueException("max_size", "must not be negative, got " + maxSize);
    }
    if (maxSize > 0 && maxSize < minSize) {
      throw new InvalidValueException(
          "max_size",
          "must be greater than or equal to min_size (" + minSize + "), got " + maxSize);
    }
  }

  /** The section with every default, as {@code batch: {}} gives it. */
  public static QueueBatchConfig defaults() {
    return new QueueBatchConfig(null, null, null, null, null, null);
  }

  /** This section measured by {@code s}. */
  QueueBatchConfig withSizer(Sizer s) {
    return new QueueBatchConfig(enabled, flushTimeout, s, minSize, maxSize, partition);
  }
}
