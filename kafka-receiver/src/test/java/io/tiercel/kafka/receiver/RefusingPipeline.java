package io.tiercel.kafka.receiver;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * A test pipeline that answers asynchronously (after 1 ms, on another thread, as a real exporter
 * does), refusing retryably each record for which {@code refuse(partition, offset)} is true at the
 * time of the call. It records every call in call order and every accepted record in completion
 * order; several instances (one per receiver) may share the lists.
 */
final class RefusingPipeline implements TelemetryConsumer<Traces> {
  /** One hand-over by receiver {@code receiver}; {@code refused} tells how it will end. */
  record Call(String receiver, int partition, long offset, boolean refused) {}

  private static final Executor LATER = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);

  private final String receiver;
  private final BiPredicate<Integer, Long> refuse;
  private final List<Call> calls;
  private final List<Call> accepted;

  RefusingPipeline(
      String receiver, List<Call> calls, List<Call> accepted, BiPredicate<Integer, Long> refuse) {
    this.receiver = receiver;
    this.calls = calls;
    this.accepted = accepted;
    this.refuse = refuse;
  }

  /** A thread-safe list to share between instances. */
  static List<Call> newList() {
    return Collections.synchronizedList(new ArrayList<>());
  }

  /** A copy of {@code list} taken under its lock. */
  static List<Call> copy(List<Call> list) {
    synchronized (list) {
      return new ArrayList<>(list);
    }
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, Traces data) {
    int p = Integer.parseInt(ctx.first("kafka.partition").orElseThrow());
    long o = Long.parseLong(ctx.first("kafka.offset").orElseThrow());
    Call call = new Call(receiver, p, o, refuse.test(p, o));
    calls.add(call);
    return CompletableFuture.runAsync(
        () -> {
          if (call.refused()) {
            throw new RetryableException("exporter queue is full");
          }
          accepted.add(call);
        },
        LATER);
  }
}
