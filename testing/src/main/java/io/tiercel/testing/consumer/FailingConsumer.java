package io.tiercel.testing.consumer;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A next hop that fails (the collector's {@code consumertest} error consumer): every call, or only
 * the first N calls, returns a future failed with the configured {@link PipelineException}; later
 * calls go to a delegate (a {@link RecordingSink}, say) or simply succeed. Never throws from {@link
 * #consume}. Thread-safe.
 *
 * @param <T> {@code Traces}, {@code Metrics} or {@code Logs}
 */
public final class FailingConsumer<T extends OtlpData> implements TelemetryConsumer<T> {
  private final PipelineException error;
  private final int failures;
  private final TelemetryConsumer<T> then;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  private FailingConsumer(PipelineException error, int failures, TelemetryConsumer<T> then) {
    this.error = Objects.requireNonNull(error, "error");
    this.failures = failures;
    this.then = Objects.requireNonNull(then, "then");
  }

  /** Fails every call with {@code error}. */
  public static <T extends OtlpData> FailingConsumer<T> always(PipelineException error) {
    return new FailingConsumer<>(error, Integer.MAX_VALUE, (c, d) -> TelemetryConsumer.done());
  }

  /** Fails every call with a {@link RetryableException} carrying {@code message}. */
  public static <T extends OtlpData> FailingConsumer<T> retryable(String message) {
    return always(new RetryableException(message));
  }

  /**
   * Fails every call with a {@link RetryableException} carrying {@code message} and a throttle
   * delay.
   */
  public static <T extends OtlpData> FailingConsumer<T> retryable(
      String message, Duration throttle) {
    return always(new RetryableException(message, null, throttle));
  }

  /** Fails every call with a {@link PermanentException} carrying {@code message}. */
  public static <T extends OtlpData> FailingConsumer<T> permanent(String message) {
    return always(new PermanentException(message));
  }

  /** Fails the first {@code n} calls with {@code error}, then passes calls to {@code then}. */
  public static <T extends OtlpData> FailingConsumer<T> firstCalls(
      int n, PipelineException error, TelemetryConsumer<T> then) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative: " + n);
    }
    return new FailingConsumer<>(error, n, then);
  }

  /** Fails the first {@code n} calls with {@code error}, then succeeds. */
  public static <T extends OtlpData> FailingConsumer<T> firstCalls(int n, PipelineException error) {
    return firstCalls(n, error, (c, d) -> TelemetryConsumer.done());
  }

  /** Returns a failed future for the first configured calls, otherwise the delegate's future. */
  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    int call = calls.incrementAndGet();
    if (call <= failures) {
      failed.incrementAndGet();
      return TelemetryConsumer.failed(error);
    }
    return then.consume(ctx, data);
  }

  /** Calls so far (failed or not). */
  public int callCount() {
    return calls.get();
  }

  /** Calls answered with the failure so far. */
  public int failedCount() {
    return failed.get();
  }

  /** The failure this consumer answers with. */
  public PipelineException error() {
    return error;
  }
}
