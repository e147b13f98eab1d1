package io.tiercel.processors;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A next hop that records what it gets and answers with a future the test completes (or at once).
 */
public final class Sink<T extends OtlpData> implements TelemetryConsumer<T> {
  public final List<T> received = new CopyOnWriteArrayList<>();
  public final List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
  private final boolean completeAtOnce;

  public Sink(boolean completeAtOnce) {
    this.completeAtOnce = completeAtOnce;
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    received.add(data);
    CompletableFuture<Void> f =
        completeAtOnce ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
    futures.add(f);
    return f;
  }
}
