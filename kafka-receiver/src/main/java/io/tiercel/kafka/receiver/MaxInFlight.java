package io.tiercel.kafka.receiver;

import io.tiercel.core.config.InvalidValueException;

/**
 * {@code max_in_flight}: how far, per partition, the receiver may run ahead of the oldest record
 * the pipeline has not finished. At either bound the partition is paused (polling goes on, so the
 * group membership is kept); it resumes when both fall under half. The bound may be passed by the
 * records of one fetch ({@code max_partition_fetch_size}). Buffering processors downstream (tail
 * sampling holds traces ~30 s) need this large.
 *
 * @param records unfinished records per partition (5000)
 * @param bytes unfinished record bytes per partition (16 MiB)
 */
public record MaxInFlight(int records, long bytes) {
  public static final MaxInFlight DEFAULT = new MaxInFlight(5000, 16L << 20);

  public MaxInFlight {
    if (records < 1) {
      throw new InvalidValueException("records", "must be at least 1, got " + records);
    }
    if (bytes < 1) {
      throw new InvalidValueException("bytes", "must be at least 1, got " + bytes);
    }
  }
}
