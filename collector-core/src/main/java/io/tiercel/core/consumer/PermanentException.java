package io.tiercel.core.consumer;

/**
 * A failure that will repeat for the same data: malformed input, oversized item, rejected by the
 * backend.
 */
public final class PermanentException extends PipelineException {
  private static final long serialVersionUID = 1L;

  public PermanentException(String message) {
    super(message, null);
  }

  public PermanentException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
