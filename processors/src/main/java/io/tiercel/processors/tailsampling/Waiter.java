package io.tiercel.processors.tailsampling;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** One upstream batch: completes when every trace it touched was decided and delivered. */
final class Waiter {
  final CompletableFuture<Void> upstream = new CompletableFuture<>();
  final AtomicInteger parts = new AtomicInteger(1); // 1 = the placement token
  final AtomicReference<Throwable> error = new AtomicReference<>();

  void partDone(Throwable e) {
    if (e != null) {
      error.compareAndSet(null, e);
    }
    if (parts.decrementAndGet() == 0) {
      Throwable err = error.get();
      if (err == null) {
        upstream.complete(null);
      } else {
        upstream.completeExceptionally(err);
      }
    }
  }
}
