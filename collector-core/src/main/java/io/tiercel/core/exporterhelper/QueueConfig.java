package io.tiercel.core.exporterhelper;

import io.tiercel.core.config.InvalidValueException;

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
 */
public record QueueConfig(
    boolean enabled,
    int numConsumers,
    long queueSize,
    Sizer sizer,
    boolean blockOnOverflow,
    boolean waitForResult,
    String storage) {
  public static final QueueConfig DEFAULT =
      new QueueConfig(true, 10, 1000, Sizer.REQUESTS, false, false, null);

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
  }

  /** The default queue, switched off. */
  public static QueueConfig disabled() {
    return new QueueConfig(false, 10, 1000, Sizer.REQUESTS, false, false, null);
  }
}
