package io.tiercel.otlp.receiver;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What both protocol servers share: the consumers, a bound on the requests in flight (a request holds a permit
 * from the moment it is accepted until its consume future completes), and a small pool of named daemon threads
 * that decode requests and call the consumers, so that no gRPC or Netty event-loop thread does that work. The
 * pool's queue holds at most one task per permit, so a task handed over with a permit is never rejected.
 */
final class Intake {
  private final String name;
  private final Consumers consumers;
  private final int maxInFlight;
  private final int workers;
  private final Semaphore permits;
  private final Object lock = new Object();
  private ThreadPoolExecutor executor; // guarded by lock

  Intake(String name, Consumers consumers, int maxInFlight, int workers) {
    this.name = name;
    this.consumers = consumers;
    this.maxInFlight = maxInFlight;
    this.workers = workers;
    this.permits = new Semaphore(maxInFlight);
  }

  /** Starts the worker threads. */
  void start() {
    synchronized (lock) {
      if (executor == null) {
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(maxInFlight), r -> {
              Thread t = new Thread(r, "otlp-receiver-" + name + "-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
      }
    }
  }

  /** The consumer of {@code signal}, or null when no pipeline takes that signal. */
  <T extends OtlpData> TelemetryConsumer<T> consumer(Signal signal) {
    return consumers.get(signal);
  }

  /** Takes a permit for a new request without waiting; false when the bound is reached. */
  boolean tryAcquire() {
    return permits.tryAcquire();
  }

  /** Returns a permit taken by {@link #tryAcquire}. */
  void release() {
    permits.release();
  }

  /** Requests in flight now. */
  int inFlight() {
    return maxInFlight - permits.availablePermits();
  }

  /** Runs {@code task} on a worker; the caller holds a permit, so this never rejects. */
  void execute(Runnable task) {
    ThreadPoolExecutor e;
    synchronized (lock) {
      e = executor;
    }
    if (e == null || e.isShutdown()) {
      // started late or stopping: run here rather than lose the request (the task only hands data on)
      task.run();
      return;
    }
    e.execute(task);
  }

  /**
   * Calls the consumer, turning a synchronous throw into a failed future so that every failure reaches the
   * caller's completion handler.
   */
  static <T extends OtlpData> CompletableFuture<Void> consume(TelemetryConsumer<T> consumer, Context ctx, T data) {
    try {
      CompletableFuture<Void> f = consumer.consume(ctx, data);
      return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("consumer returned null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Waits (until {@code deadline}) for the requests in flight to complete, then stops the workers. */
  void shutdown(Deadline deadline) throws InterruptedException {
    if (permits.tryAcquire(maxInFlight, deadline.remainingMillis(), TimeUnit.MILLISECONDS)) {
      permits.release(maxInFlight);
    }
    ThreadPoolExecutor e;
    synchronized (lock) {
      e = executor;
    }
    if (e != null) {
      e.shutdown();
      if (!e.awaitTermination(deadline.remainingMillis(), TimeUnit.MILLISECONDS)) {
        e.shutdownNow();
      }
    }
  }
}
