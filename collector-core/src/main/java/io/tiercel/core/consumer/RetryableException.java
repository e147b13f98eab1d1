package io.tiercel.core.consumer;

import java.time.Duration;
import java.util.Optional;

/** A failure that may succeed later: backend or broker down, queue full, memory limit reached. */
public final class RetryableException extends PipelineException {
  private static final long serialVersionUID = 1L;
  private final transient Duration throttle;

  public RetryableException(String message) {
    this(message, null, null);
  }

  public RetryableException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /**
   * @param throttle how long the caller should wait before retrying (gRPC RetryInfo / HTTP
   *     Retry-After), or null when the caller chooses
   */
  public RetryableException(String message, Throwable cause, Duration throttle) {
    super(message, cause);
    this.throttle = throttle;
  }

  /** The delay the failing stage asks for, when it asks for one. */
  public Optional<Duration> throttle() {
    return Optional.ofNullable(throttle);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
