package io.tiercel.core.exporterhelper;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.util.ThrottledLogger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The retry -> timeout part of the exporter helper: sends a request through the {@link Sender},
 * retries retryable failures with backoff on the scheduler, and counts items sent and failed.
 *
 * <p>Partial failure: when an attempt fails with a part of its data carried in the failure ({@link
 * PipelineException#failed()}), every other item was taken: they count as sent, and the next
 * attempt sends only that part. A request that finally fails after a partial failure carries what
 * was left, so the caller knows which items did not go. Items the sender refused for good in an
 * attempt that also left a retryable part (a {@link PermanentException} suppressed by the {@link
 * RetryableException}) are not retried; the request ends with that permanent failure once the rest
 * is through.
 */
final class RetrySender<T extends OtlpData> {
  private final Settings settings;
  private final Duration timeout;
  private final RetryConfig retry;
  private final Sender<T> sender;
  private final ThrottledLogger failureLog;
  private final CounterDataPoint sent;
  private final CounterDataPoint sendFailed;
  private final BooleanSupplier running;
  private final ConcurrentHashMap<CompletableFuture<Void>, Runnable> waitingRetries =
      new ConcurrentHashMap<>();
  private volatile @Nullable ScheduledExecutorService scheduler;

  /** One request on its way: what is left to send, and what was refused for good on the way. */
  private final class Attempts {
    final Context ctx;
    final T original;
    final CompletableFuture<Void> result = new CompletableFuture<>();
    final Consumer<T> onRemaining;
    final long startNanos = System.nanoTime();
    @Nullable Backoff backoff;
    T data;
    @Nullable PermanentException refused;

    Attempts(Context ctx, T data, Consumer<T> onRemaining) {
      this.ctx = ctx;
      this.original = data;
      this.data = data;
      this.onRemaining = onRemaining;
    }
  }

  RetrySender(
      Settings settings,
      Duration timeout,
      RetryConfig retry,
      Sender<T> sender,
      ThrottledLogger failureLog,
      CounterDataPoint sent,
      CounterDataPoint sendFailed,
      BooleanSupplier running) {
    this.settings = settings;
    this.timeout = timeout;
    this.retry = retry;
    this.sender = sender;
    this.failureLog = failureLog;
    this.sent = sent;
    this.sendFailed = sendFailed;
    this.running = running;
  }

  /** The scheduler retries wait on; set when the helper starts. */
  void useScheduler(ScheduledExecutorService s) {
    scheduler = s;
  }

  /**
   * Sends with retries; the future completes with the final outcome.
   *
   * @param onRemaining told, on the thread of the failed attempt, when an attempt left only a part
   *     of the data to send (the persistent queue stores that part instead of the whole request)
   */
  CompletableFuture<Void> send(Context ctx, T data, Consumer<T> onRemaining) {
    Attempts a = new Attempts(ctx, data, onRemaining);
    attempt(a);
    return a.result;
  }

  private void attempt(Attempts a) {
    T data = a.data;
    CompletableFuture<Void> f;
    try {
      f = sender.send(a.ctx, data);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    if (!timeout.isZero()) {
      f = f.copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    f.whenComplete(
        (v, e) -> {
          if (e == null) {
            sent.inc(data.itemCount());
            if (a.refused != null) {
              a.result.completeExceptionally(a.refused);
            } else {
              a.result.complete(null);
            }
            return;
          }
          Throwable cause = PipelineException.unwrap(e);
          PipelineException pe =
              cause instanceof TimeoutException
                  ? new RetryableException("export attempt timed out after " + timeout, cause)
                  : PipelineException.classify(cause);
          narrowToFailedPart(a, pe);
          boolean running = this.running.getAsBoolean();
          if (!pe.isRetryable() || !retry.enabled() || !running) {
            fail(a, pe, pe.isRetryable() && !running ? " (not retried: shutting down)" : "");
            return;
          }
          Backoff b = a.backoff;
          if (b == null) {
            b = new Backoff(retry, () -> ThreadLocalRandom.current().nextDouble(), a.startNanos);
            a.backoff = b;
          }
          Duration wait =
              b.next(
                  System.nanoTime(),
                  pe instanceof RetryableException r ? r.throttle().orElse(null) : null);
          if (wait == null) {
            fail(
                a,
                new RetryableException(
                    "no more retries left after "
                        + Duration.ofNanos(System.nanoTime() - a.startNanos).toSeconds()
                        + "s: "
                        + pe.getMessage(),
                    pe),
                "");
            return;
          }
          failureLog.warn(
              "Exporting failed, will retry: exporter "
                  + settings.id()
                  + " ("
                  + settings.signal()
                  + "): "
                  + pe.getMessage()
                  + "; next attempt in "
                  + wait.toMillis()
                  + "ms",
              null);
          schedule(a, pe, wait);
        });
  }

  /**
   * When {@code pe} carries the part of the attempt's data that failed: counts the rest as sent,
   * keeps what was refused for good, and makes the part what the next attempt sends.
   */
  private void narrowToFailedPart(Attempts a, PipelineException pe) {
    OtlpData failed = pe.failed().orElse(null);
    int before = a.data.itemCount();
    if (failed == null
        || failed.signal() != a.data.signal()
        || failed.itemCount() > before) { // not a part of this data: all of it failed
      return;
    }
    @SuppressWarnings("unchecked")
    T part = (T) failed;
    int left = part.itemCount();
    int refusedForGood = 0;
    if (pe.isRetryable()) {
      for (Throwable s : pe.getSuppressed()) {
        if (s instanceof PermanentException p && a.refused == null) {
          a.refused = p;
          refusedForGood = p.failed().map(OtlpData::itemCount).orElse(0);
          sendFailed.inc(refusedForGood);
        }
      }
    }
    sent.inc(Math.max(0, before - left - refusedForGood));
    a.data = part;
    if (pe.isRetryable()) {
      a.onRemaining.accept(part);
    }
  }

  private void schedule(Attempts a, PipelineException pe, Duration wait) {
    Runnable retryNow = () -> attempt(a);
    waitingRetries.put(a.result, retryNow);
    try {
      ScheduledExecutorService s = scheduler;
      if (s == null) {
        throw new RejectedExecutionException("not started");
      }
      s.schedule(
          () -> {
            if (waitingRetries.remove(a.result) != null) {
              retryNow.run();
            }
          },
          wait.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException rejected) {
      if (waitingRetries.remove(a.result) != null) {
        fail(
            a,
            new RetryableException("exporter " + settings.id() + " shut down before retrying", pe),
            "");
      }
    }
  }

  private void fail(Attempts a, PipelineException pe, String note) {
    int items = a.data.itemCount();
    sendFailed.inc(items);
    failureLog.warn(
        "Exporting failed, dropping "
            + items
            + " "
            + settings.signal().itemName()
            + ": exporter "
            + settings.id()
            + ": "
            + pe.getMessage()
            + note,
        null);
    boolean partial = a.data != a.original;
    a.result.completeExceptionally(partial && pe.failed().isEmpty() ? pe.withFailed(a.data) : pe);
  }

  /** Gives every retry waiting on its backoff one last attempt now (at shutdown). */
  void retryWaitingNow() {
    for (var e : waitingRetries.entrySet()) {
      if (waitingRetries.remove(e.getKey()) != null) {
        e.getValue().run();
      }
    }
  }

  /** Fails every retry still waiting with {@code gone} (after the shutdown deadline). */
  void failWaiting(RetryableException gone) {
    for (CompletableFuture<Void> r : waitingRetries.keySet()) {
      if (waitingRetries.remove(r) != null) {
        r.completeExceptionally(gone);
      }
    }
  }
}
