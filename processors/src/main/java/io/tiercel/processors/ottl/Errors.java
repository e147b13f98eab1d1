package io.tiercel.processors.ottl;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Applies an error mode to a failed statement or condition: {@code propagate} throws a {@link
 * PermanentException}, {@code ignore} logs at most one line per interval (with the count of
 * failures since the last line), {@code silent} only counts. Thread-safe.
 */
public final class Errors {
  private static final long INTERVAL_NANOS = 10_000_000_000L;
  private final Logger logger;
  private final String component;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

  /** Errors logged to {@code logger}, lines prefixed with {@code component}. */
  public Errors(Logger logger, String component) {
    this.logger = logger;
    this.component = component;
  }

  /** Failures seen so far, whatever the mode. */
  public long failures() {
    return failures.get();
  }

  /** Handles one failure of {@code text} (a statement or condition). */
  public void failed(ErrorMode mode, String kind, String text, RuntimeException e) {
    failures.incrementAndGet();
    String msg = e instanceof OttlRuntimeException ? e.getMessage() : e.toString();
    switch (mode) {
      case PROPAGATE ->
          throw new PermanentException("failed to execute " + kind + " " + text + ": " + msg, e);
      case SILENT -> {}
      case IGNORE -> {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
          long more = suppressed.getAndSet(0);
          logger.warn(
              "{}: failed to execute {} {}: {} ({} similar failures not logged since the last"
                  + " report)",
              component,
              kind,
              text,
              msg,
              more);
        } else {
          suppressed.incrementAndGet();
        }
      }
      default -> throw new IllegalStateException(mode.toString());
    }
  }
}
