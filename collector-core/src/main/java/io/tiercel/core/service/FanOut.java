package io.tiercel.core.service;

import io.tiercel.core.consumer.CompletionGroup;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands the same data to several consumers (a receiver feeding several pipelines, a pipeline
 * feeding several exporters). The returned future completes when every branch completed, and fails
 * when any failed: with a {@link PermanentException} when at least one failure is permanent, else
 * with a {@link RetryableException} (carrying the longest throttle asked for). The part of the data
 * that failed ({@link PipelineException#failed()}) reaches the caller only when exactly one branch
 * failed: partial failures on different branches are not one subset of the data, so then the whole
 * request fails, and its retry reaches every branch again (see {@link CompletionGroup#sameData()}).
 * A branch whose {@link TelemetryConsumer#mutatesData()} is true gets its own copy; read-only
 * branches share the data. The fan-out itself never mutates, so it reports {@code mutatesData() ==
 * false}.
 */
final class FanOut<T extends OtlpData> implements TelemetryConsumer<T> {
  private final List<TelemetryConsumer<T>> branches;
  private final boolean[] copy;

  private FanOut(List<TelemetryConsumer<T>> branches) {
    this.branches = List.copyOf(branches);
    this.copy = new boolean[branches.size()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = branches.get(i).mutatesData();
    }
  }

  /**
   * A consumer feeding all {@code branches}: the branch itself when there is one (it then owns the
   * data, as the caller would have handed it over anyway), a fan-out otherwise.
   */
  static <T extends OtlpData> TelemetryConsumer<T> of(List<TelemetryConsumer<T>> branches) {
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("no branches");
    }
    return branches.size() == 1 ? branches.get(0) : new FanOut<>(branches);
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    CompletionGroup group = CompletionGroup.sameData();
    for (int i = 0; i < copy.length; i++) {
      CompletableFuture<Void> f;
      group.expect();
      try {
        f = branches.get(i).consume(ctx, copy[i] ? Copies.copy(data) : data);
        if (f == null) {
          f = TelemetryConsumer.failed(new IllegalStateException("consumer returned no future"));
        }
      } catch (RuntimeException e) {
        f = TelemetryConsumer.failed(e);
      }
      f.whenComplete((v, e) -> group.done(e == null ? null : PipelineException.classify(e)));
    }
    group.close();
    return group.future();
  }
}
