package io.tiercel.core.util;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring failure at most once per interval, with the number of occurrences since the last
 * line, so that a flood of bad input or a backend outage never turns into a log line per item.
 * Thread-safe.
 */
public final class ThrottledLogger {
  private final Logger logger;
  private final long intervalNanos;
  private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public ThrottledLogger(Logger logger, java.time.Duration interval) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Logs at WARN unless a line went out less than an interval ago; the message gets the suppressed
   * count.
   */
  public void warn(String message, Throwable cause) {
    long now = System.nanoTime();
    long next = nextAllowed.get();
    if ((next != Long.MIN_VALUE && now - next < 0)
        || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long n = suppressed.getAndSet(0);
    String text =
        n > 0 ? message + " (" + n + " similar events not logged since the last line)" : message;
    if (cause != null) {
      logger.warn(text, cause);
    } else {
      logger.warn(text);
    }
  }
}
