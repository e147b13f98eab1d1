package io.tiercel.benchmarks.load;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends units of load (an OTLP request, or the records of one request) at a fixed rate or as fast
 * as a window of unacknowledged units allows, and counts what was acknowledged. Fixed rate: unit i
 * is due at start + i x spans per unit / rate; a unit that cannot go out because the window is full
 * goes late (the achieved rate is what the table reports), and its latency is measured from when it
 * was really sent.
 */
final class Pacer {
  /** Sends unit {@code i} stamped with {@code sentMicros}. */
  @FunctionalInterface
  interface Unit {
    Pending send(long i, long sentMicros);
  }

  /**
   * A unit on its way: {@code ack} completes when it was acknowledged; {@code bytes} is its payload
   * size.
   */
  record Pending(CompletableFuture<?> ack, long bytes) {}

  /** What one {@link #run} did. */
  record Sent(
      long units, long ackedSpans, long ackedBytes, long failedUnits, Throwable firstFailure) {}

  private static final long BASE_NANOS = System.nanoTime();
  private static final long BASE_MICROS = System.currentTimeMillis() * 1000;

  private Pacer() {}

  /**
   * Wall-clock microseconds, monotonic within this process: what the load stamps into trace ids.
   */
  static long nowMicros() {
    return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1000;
  }

  /**
   * Sends units {@code first, first+1, ...} until {@code duration} has passed or {@code maxSpans}
   * spans were sent, then waits for every outstanding acknowledgement.
   *
   * @param spansPerUnit the spans of one unit
   * @param rate spans per second, 0 = as fast as the window allows
   */
  static Sent run(
      Duration duration,
      long maxSpans,
      double rate,
      int window,
      long first,
      int spansPerUnit,
      Unit unit)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(window);
    AtomicLong acked = new AtomicLong();
    AtomicLong ackedBytes = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long i = 0;
    while (System.nanoTime() < end && (long) i * spansPerUnit < maxSpans) {
      if (rate > 0) {
        long due = start + (long) (i * spansPerUnit * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(Math.min(wait, end - System.nanoTime()));
          continue;
        }
      }
      inFlight.acquire();
      Pending p;
      try {
        p = unit.send(first + i, nowMicros());
      } catch (RuntimeException e) {
        p = new Pending(CompletableFuture.failedFuture(e), 0);
      }
      long bytes = p.bytes();
      p.ack()
          .whenComplete(
              (v, e) -> {
                if (e == null) {
                  acked.addAndGet(spansPerUnit);
                  ackedBytes.addAndGet(bytes);
                } else {
                  failed.incrementAndGet();
                  failure.compareAndSet(null, e);
                }
                inFlight.release();
              });
      i++;
    }
    if (!inFlight.tryAcquire(window, 2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("units still unacknowledged 2 minutes after sending stopped");
    }
    return new Sent(i, acked.get(), ackedBytes.get(), failed.get(), failure.get());
  }
}
