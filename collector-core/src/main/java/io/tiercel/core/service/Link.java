package io.tiercel.core.service;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.util.concurrent.CompletableFuture;

/**
 * The edge from a component to what follows it (a processor's next hop, a receiver's pipelines for
 * one signal), re-pointed by a reload: a component that a reload keeps running keeps its link, and
 * the link moves to the new graph once the new components downstream of it have started. A batch
 * handed over before the move completes against the old target, which the reload shuts down (and so
 * drains) only after the move.
 */
final class Link<T extends OtlpData> implements TelemetryConsumer<T> {
  private volatile TelemetryConsumer<T> target;

  Link(TelemetryConsumer<T> target) {
    this.target = target;
  }

  /** Sends what comes next to {@code next}. */
  void pointTo(TelemetryConsumer<T> next) {
    target = next;
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    return target.consume(ctx, data);
  }

  /** The current target's answer; read when the graph is wired, when the target does not move. */
  @Override
  public boolean mutatesData() {
    return target.mutatesData();
  }
}
