package io.tiercel.core.consumer;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Why a pipeline stage could not take data. The set is closed: {@link RetryableException} (try
 * again, maybe after a throttle delay) or {@link PermanentException} (the same data will never be
 * accepted).
 */
public abstract sealed class PipelineException extends RuntimeException
    permits RetryableException, PermanentException {
  private static final long serialVersionUID = 1L;

  PipelineException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True for {@link RetryableException}. */
  public abstract boolean isRetryable();

  /**
   * Classifies any failure of a consume future: unwraps {@link CompletionException} and {@link
   * ExecutionException}; a failure that is not a {@code PipelineException} is retryable, as in the
   * OpenTelemetry Collector (only errors marked permanent are not retried).
   */
  public static PipelineException classify(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof PipelineException pe) {
      return pe;
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
