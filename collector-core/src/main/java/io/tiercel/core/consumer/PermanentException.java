package io.tiercel.core.consumer;

import io.tiercel.core.pdata.OtlpData;
import org.jspecify.annotations.Nullable;

/**
 * A failure that will repeat for the same data: malformed input, oversized item, rejected by the
 * backend.
 */
public final class PermanentException extends PipelineException {
  private static final long serialVersionUID = 1L;

  public PermanentException(String message) {
    super(message, null, null);
  }

  public PermanentException(String message, @Nullable Throwable cause) {
    super(message, cause, null);
  }

  /**
   * @param failed the part of the data that was refused, null for all of it (see {@link
   *     PipelineException#failed()})
   */
  public PermanentException(String message, @Nullable Throwable cause, @Nullable OtlpData failed) {
    super(message, cause, failed);
  }

  @Override
  public PermanentException withFailed(@Nullable OtlpData failed) {
    return keepTrace(new PermanentException(getMessage(), getCause(), failed));
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
