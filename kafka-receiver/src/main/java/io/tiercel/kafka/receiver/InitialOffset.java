package io.tiercel.kafka.receiver;

/**
 * {@code initial_offset}: where a partition without a committed offset starts ({@code
 * auto.offset.reset}).
 */
public enum InitialOffset {
  EARLIEST,
  LATEST
}
