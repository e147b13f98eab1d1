package io.tiercel.core.service;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Hands the same data to several consumers (a receiver feeding several pipelines, a pipeline
 * feeding several exporters). The returned future completes when every branch completed, and fails
 * when any failed: with a {@link PermanentException} when at least one failure is permanent, else
 * with a {@link RetryableException} (carrying the longest throttle asked for). A branch whose
 * {@link TelemetryConsumer#mutatesData()} is true gets its own copy; read-only branches share the
 * data. The fan-out itself never mutates, so it reports {@code mutatesData() == false}.
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
    Join join = new Join(copy.length);
    for (int i = 0; i < copy.length; i++) {
      CompletableFuture<Void> f;
      try {
        f = branches.get(i).consume(ctx, copy[i] ? Copies.copy(data) : data);
        if (f == null) {
          f = TelemetryConsumer.failed(new IllegalStateException("consumer returned no future"));
        }
      } catch (RuntimeException e) {
        f = TelemetryConsumer.failed(e);
      }
      f.whenComplete(join);
    }
    return join.result;
  }

  /** Counts branch outcomes; completes {@link #result} with the last one. */
  private static final class Join implements BiConsumer<Void, Throwable> {
    final CompletableFuture<Void> result = new CompletableFuture<>();
    private final int total;
    private final AtomicInteger remaining;
    private final Object lock = new Object();
    private List<PipelineException> failures; // guarded by lock

    Join(int total) {
      this.total = total;
      this.remaining = new AtomicInteger(total);
    }

    @Override
    public void accept(Void v, Throwable e) {
      if (e != null) {
        PipelineException pe = PipelineException.classify(e);
        synchronized (lock) {
          if (failures == null) {
            failures = new ArrayList<>(2);
          }
          failures.add(pe);
        }
      }
      if (remaining.decrementAndGet() == 0) {
        List<PipelineException> f;
        synchronized (lock) {
          f = failures;
        }
        if (f == null) {
          result.complete(null);
        } else {
          result.completeExceptionally(merge(f, total));
        }
      }
    }
  }

  /**
   * One failure as is; several as one exception classified permanent if any is, naming every
   * message.
   */
  static PipelineException merge(List<PipelineException> failures, int total) {
    if (failures.size() == 1) {
      return failures.get(0);
    }
    StringBuilder msg =
        new StringBuilder()
            .append(failures.size())
            .append(" of ")
            .append(total)
            .append(" consumers failed: ");
    PipelineException firstPermanent = null;
    Duration throttle = null;
    for (int i = 0; i < failures.size(); i++) {
      PipelineException pe = failures.get(i);
      msg.append(i == 0 ? "" : "; ").append(pe.getMessage());
      if (!pe.isRetryable() && firstPermanent == null) {
        firstPermanent = pe;
      }
      if (pe instanceof RetryableException re
          && re.throttle().isPresent()
          && (throttle == null || re.throttle().get().compareTo(throttle) > 0)) {
        throttle = re.throttle().get();
      }
    }
    PipelineException cause = firstPermanent != null ? firstPermanent : failures.get(0);
    PipelineException merged =
        firstPermanent != null
            ? new PermanentException(msg.toString(), cause)
            : new RetryableException(msg.toString(), cause, throttle);
    for (PipelineException pe : failures) {
      if (pe != cause) {
        merged.addSuppressed(pe);
      }
    }
    return merged;
  }
}
