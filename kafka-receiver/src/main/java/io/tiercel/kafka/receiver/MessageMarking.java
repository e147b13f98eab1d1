package io.tiercel.kafka.receiver;

/**
 * {@code message_marking}: when a record counts as done for the committed offset (the collector's
 * keys).
 *
 * @param after true (Tiercel's default): a record is marked when the pipeline finished it, so a
 *     crash re-reads it (at least once); false: marked when handed to the pipeline (at most once,
 *     the collector's default)
 * @param onError true: a record whose retryable failure outlasts {@code
 *     error_backoff.max_elapsed_time} is marked and dead-lettered or skipped; false (default): it
 *     is retried in place until it succeeds, its partition fetching nothing new while a retry waits
 * @param onPermanentError true (Tiercel's default): a record the pipeline refuses permanently is
 *     marked and dead-lettered or skipped; false: it is retried like a retryable failure (which
 *     holds its partition back)
 */
public record MessageMarking(boolean after, boolean onError, boolean onPermanentError) {
  public static final MessageMarking DEFAULT = new MessageMarking(true, false, true);
}
