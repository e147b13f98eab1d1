package io.tiercel.core.consumer;

import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.OtlpData;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Why a pipeline stage could not take data. The set is closed: {@link RetryableException} (try
 * again, maybe after a throttle delay) or {@link PermanentException} (the same data will never be
 * accepted).
 *
 * <p>A failure may carry the part of the data that failed ({@link #failed()}), as the collector's
 * {@code consumererror.NewTraces(err, failed)}: data of the same signal holding only the items the
 * stage did not take (Kafka records that were not acknowledged, say); every other item was taken. A
 * caller that retries sends only that part. Without it, the whole request failed. A stage that
 * turns a failure into another keeps the carried part only when it still describes its own input
 * (see {@link CompletionGroup} for how batch and fan-out map it).
 */
public abstract sealed class PipelineException extends RuntimeException
    permits RetryableException, PermanentException {
  private static final long serialVersionUID = 1L;
  private final transient @Nullable OtlpData failed;

  PipelineException(String message, @Nullable Throwable cause, @Nullable OtlpData failed) {
    super(message, cause);
    this.failed = failed;
  }

  /** True for {@link RetryableException}. */
  public abstract boolean isRetryable();

  /**
   * The part of the data that failed, of the same signal as the data handed to the stage; empty
   * when the whole request failed.
   */
  public final Optional<OtlpData> failed() {
    return Optional.ofNullable(failed);
  }

  /**
   * This failure with {@code failed} as the part that failed (null: the whole request), keeping the
   * message, cause, throttle, stack trace and suppressed failures.
   */
  public abstract PipelineException withFailed(@Nullable OtlpData failed);

  /** Copies what {@link #withFailed} keeps onto {@code copy}. */
  final <E extends PipelineException> E keepTrace(E copy) {
    copy.setStackTrace(getStackTrace());
    for (Throwable s : getSuppressed()) {
      copy.addSuppressed(s);
    }
    return copy;
  }

  /**
   * Classifies any failure of a consume future: unwraps {@link CompletionException} and {@link
   * ExecutionException}; malformed data ({@link MalformedDataException}) is permanent; any other
   * failure that is not a {@code PipelineException} is retryable, as in the OpenTelemetry Collector
   * (only errors marked permanent are not retried).
   */
  public static PipelineException classify(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof PipelineException pe) {
      return pe;
    }
    if (c instanceof MalformedDataException m) {
      return new PermanentException(m.getMessage(), m);
    }
    return new RetryableException(String.valueOf(c.getMessage() != null ? c.getMessage() : c), c);
  }

  /** Strips {@link CompletionException}/{@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
