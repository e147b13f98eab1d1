package io.tiercel.otlp.receiver;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A next hop for tests: records every call (context and data), and answers with what the test set:
 * done (the default), a failure, or a future the test completes itself ({@link #hold()}).
 */
final class RecordingSink<T extends OtlpData> implements TelemetryConsumer<T> {
  /** One call. */
  record Call<T>(Context context, T data, CompletableFuture<Void> answer) {}

  private final LinkedBlockingQueue<Call<T>> calls = new LinkedBlockingQueue<>();
  private final List<Call<T>> all = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile Supplier<CompletableFuture<Void>> answer =
      () -> CompletableFuture.completedFuture(null);

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    CompletableFuture<Void> f = answer.get();
    Call<T> c = new Call<>(ctx, data, f);
    all.add(c);
    calls.add(c);
    return f;
  }

  /** Answers every later call with {@code failure}. */
  void failWith(RuntimeException failure) {
    answer = () -> CompletableFuture.failedFuture(failure);
  }

  /**
   * Answers every later call with a future that the test completes through {@link Call#answer()}.
   */
  void hold() {
    answer = CompletableFuture::new;
  }

  /** Answers every later call at once with success. */
  void succeed() {
    answer = () -> CompletableFuture.completedFuture(null);
  }

  /** The next call, waiting up to 10 s; fails when none comes. */
  Call<T> next() throws InterruptedException {
    Call<T> c = calls.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no call reached the sink within 10 s");
    }
    return c;
  }

  /** Every call so far. */
  List<Call<T>> calls() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  /** Calls not yet taken with {@link #next()}. */
  int pending() {
    return calls.size();
  }
}
