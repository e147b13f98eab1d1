package io.tiercel.core.consumer;

import io.tiercel.core.pdata.OtlpData;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A failure that may succeed later: backend or broker down, queue full, memory limit reached. */
public final class RetryableException extends PipelineException {
  private static final long serialVersionUID = 1L;
  private final transient @Nullable Duration throttle;

  public RetryableException(String message) {
    this(message, null, null, null);
  }

  public RetryableException(String message, @Nullable Throwable cause) {
    this(message, cause, null, null);
  }

  /**
   * @param throttle how long the caller should wait before retrying (gRPC RetryInfo / HTTP
   *     Retry-After), or null when the caller chooses
   */
  public RetryableException(
      String message, @Nullable Throwable cause, @Nullable Duration throttle) {
    this(message, cause, throttle, null);
  }

  /**
   * @param throttle as in {@link #RetryableException(String, Throwable, Duration)}
   * @param failed the part of the data that failed and is to be retried, null for all of it (see
   *     {@link PipelineException#failed()})
   */
  public RetryableException(
      String message,
      @Nullable Throwable cause,
      @Nullable Duration throttle,
      @Nullable OtlpData failed) {
    super(message, cause, failed);
    this.throttle = throttle;
  }

  /** The delay the failing stage asks for, when it asks for one. */
  public Optional<Duration> throttle() {
    return Optional.ofNullable(throttle);
  }

  @Override
  public RetryableException withFailed(@Nullable OtlpData failed) {
    return keepTrace(new RetryableException(getMessage(), getCause(), throttle, failed));
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
