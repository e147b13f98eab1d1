package io.tiercel.core.exporterhelper;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.OptionalSection;
import org.jspecify.annotations.Nullable;

/**
 * {@code sending_queue}: a bounded queue in front of the sender, drained by {@code num_consumers}
 * concurrent sends.
 *
 * @param enabled use a queue (default true); without it each consume sends (and retries) directly
 * @param numConsumers concurrent sends (10)
 * @param queueSize capacity, in units of {@code sizer} (1000)
 * @param sizer requests (default), items or bytes
 * @param blockOnOverflow when full, hold the caller's request until space frees instead of refusing
 *     it (false)
 * @param waitForResult complete the caller's future only when the export completes (false: on
 *     enqueue, so a crash loses what is queued in memory; true gives at-least-once end to end)
 * @param storage id of a storage extension for a persistent queue, or null for memory
 * @param batch merge requests taken from the queue into batches, or null (the default) to send each
 *     as it is. Its {@code sizer}, when not given, is the queue's {@code sizer} if that is items or
 *     bytes and the section names other keys, else items. The collector also lets an explicit
 *     {@code sizer: requests} pass on to a batch without its own sizer, and then rejects it; here
 *     the requests sizer cannot be told from the default, so such a batch is measured in items.
 */
public record QueueConfig(
    boolean enabled,
    int numConsumers,
    long queueSize,
    Sizer sizer,
    boolean blockOnOverflow,
    boolean waitForResult,
    @Nullable String storage,
    @OptionalSection @Nullable QueueBatchConfig batch) {
  public static final QueueConfig DEFAULT =
      new QueueConfig(true, 10, 1000, Sizer.REQUESTS, false, false, null);

  /** A queue without batching. */
  public QueueConfig(
      boolean enabled,
      int numConsumers,
      long queueSize,
      Sizer sizer,
      boolean blockOnOverflow,
      boolean waitForResult,
      @Nullable String storage) {
    this(enabled, numConsumers, queueSize, sizer, blockOnOverflow, waitForResult, storage, null);
  }

  public QueueConfig {
    if (numConsumers < 1) {
      throw new InvalidValueException("num_consumers", "must be at least 1, got " + numConsumers);
    }
    if (queueSize < 1) {
      throw new InvalidValueException("queue_size", "must be at least 1, got " + queueSize);
    }
    if (sizer == null) {
      sizer = Sizer.REQUESTS;
    }
    if (batch != null && Boolean.FALSE.equals(batch.enabled())) {
      batch = null;
    }
    if (batch != null && batch.sizer() == null) {
      batch = batch.withSizer(sizer != Sizer.REQUESTS ? sizer : Sizer.ITEMS);
    }
    if (batch != null && batch.sizer() == sizer && batch.minSize() > queueSize) {
      throw new InvalidValueException(
          "batch.min_size",
          "must be less than or equal to queue_size ("
              + queueSize
              + ") when the batch and the queue use the same sizer, got "
              + batch.minSize());
    }
  }

  /** This queue with {@code b} as its batch settings (null: no batching). */
  public QueueConfig withBatch(@Nullable QueueBatchConfig b) {
    return new QueueConfig(
        enabled, numConsumers, queueSize, sizer, blockOnOverflow, waitForResult, storage, b);
  }

  /** The default queue, switched off. */
  public static QueueConfig disabled() {
    return new QueueConfig(false, 10, 1000, Sizer.REQUESTS, false, false, null);
  }
}
