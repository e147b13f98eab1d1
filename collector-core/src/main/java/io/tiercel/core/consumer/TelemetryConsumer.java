package io.tiercel.core.consumer;

import io.tiercel.core.pdata.OtlpData;
import java.util.concurrent.CompletableFuture;

/**
 * The next hop of a pipeline stage (DESIGN.md section 4).
 *
 * <p>{@link #consume} must not block: it returns at once with a future that completes when the next
 * hop has taken responsibility for the data (an exporter: the backend or Kafka acknowledged it; a
 * durable queue: the data is on disk; a processor: everything it emitted completed, or it dropped
 * the data on purpose and counted it). The future fails with a {@link PipelineException} ({@link
 * RetryableException} or {@link PermanentException}), which may carry the part of the data that
 * failed ({@link PipelineException#failed()}) when the rest was taken; any other failure is treated
 * as retryable. It may be called concurrently from many threads. The data is read-only unless
 * {@link #mutatesData()} is true.
 *
 * @param <T> {@code Traces}, {@code Metrics} or {@code Logs}
 */
@FunctionalInterface
public interface TelemetryConsumer<T extends OtlpData> {
  /**
   * Hands data to this stage; see the class documentation for the contract of the returned future.
   */
  java.util.concurrent.CompletableFuture<Void> consume(Context ctx, T data);

  /**
   * True when this stage modifies the data it receives (in place or by relying on exclusive
   * ownership). Fan-out hands such a consumer its own copy.
   */
  default boolean mutatesData() {
    return false;
  }

  /**
   * This consumer for data a receiver took in over {@code transport} ({@code grpc}, {@code http}):
   * the service's receiver instrumentation answers with a consumer that counts what it is handed
   * under that {@code transport} label of the {@code otelcol_receiver_*} metrics; every other
   * consumer returns itself. A receiver that serves several transports asks per request; the answer
   * is cached, so asking costs a map lookup.
   */
  default TelemetryConsumer<T> forTransport(String transport) {
    return this;
  }

  /** A completed future, for stages that finish synchronously. */
  static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  /** A failed future carrying {@code e}. */
  static CompletableFuture<Void> failed(Throwable e) {
    return CompletableFuture.failedFuture(e);
  }
}
