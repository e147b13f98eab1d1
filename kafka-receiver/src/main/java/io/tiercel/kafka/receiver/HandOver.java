package io.tiercel.kafka.receiver;

/**
 * {@code hand_over}: what the receiver gives the pipeline in one call.
 *
 * <p>{@link #FETCH} (the default): the records of one poll and partition that decode and carry the
 * same headers, joined into one request (OTLP bytes are concatenated, not parsed); its {@link
 * io.tiercel.core.consumer.Context} names every offset it covers ({@code kafka.offset}, in order).
 * Each record still counts, finishes and commits on its own: the request's outcome is each of its
 * records' outcome, and a record that must be retried goes back to the pipeline alone. A pipeline
 * without a batch processor then pays its per-call costs (an export, a gzip stream) per fetch, not
 * per record.
 *
 * <p>{@link #RECORD}: one call per record, as the collector's receiver does.
 */
public enum HandOver {
  FETCH,
  RECORD
}
