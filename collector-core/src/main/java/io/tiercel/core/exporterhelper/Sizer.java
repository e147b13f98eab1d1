package io.tiercel.core.exporterhelper;

/** How {@code sending_queue.queue_size} is measured. */
public enum Sizer {
  /** Number of requests (batches) in the queue. */
  REQUESTS,
  /** Number of spans, metric data points or log records. */
  ITEMS,
  /** Serialized protobuf bytes. */
  BYTES
}
