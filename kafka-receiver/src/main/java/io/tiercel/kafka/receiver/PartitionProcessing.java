package io.tiercel.kafka.receiver;

import io.tiercel.core.config.InvalidValueException;

/**
 * {@code partition_processing}: the collector's switch for processing each partition on its own, so
 * that a blocked partition does not stop the others. Tiercel's receiver always works that way (a
 * partition that waits for its pipeline or a retry is paused while the others are polled), so both
 * values behave alike; a partition's backlog is bounded by {@code max_in_flight}. The keys are
 * checked as the collector checks them.
 *
 * @param independent process each assigned partition on its own (false); needs {@code
 *     autocommit.enable}
 * @param maxBufferedBatches the collector's bound on fetched batches waiting per partition (1);
 *     greater than zero when {@code independent} is on
 */
public record PartitionProcessing(boolean independent, int maxBufferedBatches) {
  public static final PartitionProcessing DEFAULT = new PartitionProcessing(false, 1);

  public PartitionProcessing {
    if (independent && maxBufferedBatches <= 0) {
      throw new InvalidValueException(
          "max_buffered_batches",
          "must be greater than zero when independent is true, got " + maxBufferedBatches);
    }
  }
}
