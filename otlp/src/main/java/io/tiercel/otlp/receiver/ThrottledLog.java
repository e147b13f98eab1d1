package io.tiercel.otlp.receiver;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring failure at most once per interval, with the number of occurrences since the last line
 * (never one line per request).
 */
final class ThrottledLog {
  private final Logger logger;
  private final long intervalNanos;
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong lastNanos;

  ThrottledLog(Logger logger, long intervalMillis) {
    this.logger = logger;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.lastNanos = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  /** Counts one failure; logs a WARN line with the count when the interval has passed. */
  void warn(String what, Throwable cause) {
    long n = count.incrementAndGet();
    long now = System.nanoTime();
    long last = lastNanos.get();
    if (now - last >= intervalNanos && lastNanos.compareAndSet(last, now)) {
      long total = count.getAndSet(0);
      logger.warn("{} ({} time(s) since the last report): {}", what, Math.max(n, total),
          cause == null ? "" : String.valueOf(cause.getMessage()));
    }
  }
}
