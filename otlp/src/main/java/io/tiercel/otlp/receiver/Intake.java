package io.tiercel.otlp.receiver;

import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.util.DaemonThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What both protocol servers share: the consumers, a bound on the requests in flight (a request
 * holds a permit from the moment it is accepted until it is answered), a bound on the bytes of HTTP
 * request bodies held in memory, and a small pool of named daemon threads that decode requests and
 * call the consumers, so that no gRPC or Netty event-loop thread does that work. The pool's queue
 * holds at most one task per permit, so a task handed over with a permit is never rejected.
 */
final class Intake {
  private final String name;
  private final Consumers consumers;
  private final int maxInFlight;
  private final int workers;
  private final Semaphore permits;
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean closing;
  private final Object lock = new Object();
  private ThreadPoolExecutor executor; // guarded by lock

  Intake(String name, Consumers consumers, int maxInFlight, long maxBytes, int workers) {
    this.name = name;
    this.consumers = consumers;
    this.maxInFlight = maxInFlight;
    this.maxBytes = maxBytes;
    this.workers = workers;
    this.permits = new Semaphore(maxInFlight);
  }

  private volatile io.prometheus.metrics.core.metrics.Counter refusedRequests;
  private volatile String receiverId;

  /**
   * Counts requests refused before they reach the pipeline (malformed, too large, unsupported,
   * overloaded, unauthenticated) in {@code
   * otelcol_receiver_refused_requests{receiver,transport,reason}}: they hold no countable items, so
   * the item metrics of the pipeline cannot show them.
   */
  void countRefusals(io.tiercel.core.telemetry.MetricsRegistry metrics, String receiver) {
    this.refusedRequests =
        metrics.counter(
            "otelcol_receiver_refused_requests",
            "Number of requests refused before reaching the pipeline (malformed, too large,"
                + " unsupported, overloaded, unauthenticated).",
            "receiver",
            "transport",
            "reason");
    this.receiverId = receiver;
  }

  /** Counts one refused request; {@code reason} is a short label such as {@code malformed}. */
  void refused(String transport, String reason) {
    var c = refusedRequests;
    if (c != null) {
      c.labelValues(receiverId, transport, reason).inc();
    }
  }

  /** The reason label of an HTTP status answered before the pipeline. */
  static String reasonOf(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> "malformed";
      case 401 -> "unauthenticated";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 415 -> "unsupported_media_type";
      case 503 -> "overloaded";
      default -> "http_" + httpStatus;
    };
  }

  /** Starts the worker threads. */
  void start() {
    synchronized (lock) {
      if (executor == null) {
        executor =
            new ThreadPoolExecutor(
                workers,
                workers,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxInFlight),
                DaemonThreads.numbered(name, "worker"));
      }
    }
  }

  /** The consumer of {@code signal}, or null when no pipeline takes that signal. */
  <T extends OtlpData> TelemetryConsumer<T> consumer(Signal signal) {
    return consumers.get(signal);
  }

  /**
   * The consumer of {@code signal} for a request that came over {@code transport} ({@code grpc} or
   * {@code http}, the receiver metrics' {@code transport} label), or null when no pipeline takes
   * that signal.
   */
  <T extends OtlpData> TelemetryConsumer<T> consumer(Signal signal, String transport) {
    TelemetryConsumer<T> c = consumers.get(signal);
    return c == null ? null : c.forTransport(transport);
  }

  /**
   * Takes a permit for a new request without waiting; false when the bound is reached or shutdown
   * began.
   */
  boolean tryAcquire() {
    return !closing && permits.tryAcquire();
  }

  /** Why {@link #tryAcquire} said no: shutting down, or the bound reached. */
  String refusal() {
    return closing ? "the receiver is shutting down" : "too many requests in flight";
  }

  /** Returns a permit taken by {@link #tryAcquire}. */
  void release() {
    permits.release();
  }

  /**
   * Reserves {@code n} bytes of request bodies held in memory; false (nothing reserved) when that
   * would pass the bound, so that many large bodies at once are refused rather than exhaust the
   * heap.
   */
  boolean reserve(long n) {
    while (true) {
      long cur = bytes.get();
      if (cur + n > maxBytes) {
        return false;
      }
      if (bytes.compareAndSet(cur, cur + n)) {
        return true;
      }
    }
  }

  /** Returns bytes taken by {@link #reserve}. */
  void unreserve(long n) {
    bytes.addAndGet(-n);
  }

  /** Bytes of request bodies held now. */
  long bytesInFlight() {
    return bytes.get();
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
      // started late or stopping: run here rather than lose the request (the task only hands data
      // on)
      task.run();
      return;
    }
    e.execute(task);
  }

  /**
   * Calls the consumer, turning a synchronous throw into a failed future so that every failure
   * reaches the caller's completion handler.
   */
  static <T extends OtlpData> CompletableFuture<Void> consume(
      TelemetryConsumer<T> consumer, Context ctx, T data) {
    try {
      CompletableFuture<Void> f = consumer.consume(ctx, data);
      return f != null
          ? f
          : CompletableFuture.failedFuture(new IllegalStateException("consumer returned null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Refuses new requests from now on ({@link #tryAcquire} answers false). */
  void close() {
    closing = true;
  }

  /**
   * Refuses new requests, waits (until {@code deadline}) for the requests in flight to be answered,
   * then stops the workers.
   *
   * @return true when every request in flight was answered in time
   */
  boolean shutdown(Deadline deadline) throws InterruptedException {
    closing = true;
    boolean drained =
        permits.tryAcquire(maxInFlight, deadline.remainingMillis(), TimeUnit.MILLISECONDS);
    if (drained) {
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
    return drained;
  }
}
