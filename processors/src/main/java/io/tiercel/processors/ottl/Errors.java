package io.tiercel.processors.ottl;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.util.ThrottledLogger;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Applies an error mode to a failed statement or condition: {@code propagate} throws a {@link
 * PermanentException}, {@code ignore} logs through a {@link ThrottledLogger} (at most one line per
 * ten seconds, with the count of failures not logged since the last line), {@code silent} only
 * counts. Thread-safe.
 */
public final class Errors {
  private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
  private final ThrottledLogger log;
  private final String component;
  private final AtomicLong failures = new AtomicLong();

  /** Errors logged to {@code logger}, lines prefixed with {@code component}. */
  public Errors(Logger logger, String component) {
    this.log = new ThrottledLogger(logger, LOG_INTERVAL);
    this.component = component;
  }

  /** Failures seen so far, whatever the mode. */
  public long failures() {
    return failures.get();
  }

  /** Handles one failure of {@code text} (a statement or condition). */
  public void failed(ErrorMode mode, String kind, String text, RuntimeException e) {
    failures.incrementAndGet();
    boolean ottl = e instanceof OttlRuntimeException;
    String msg = ottl ? e.getMessage() : e.toString();
    switch (mode) {
      case PROPAGATE ->
          throw new PermanentException("failed to execute " + kind + " " + text + ": " + msg, e);
      case SILENT -> {}
      // an OTTL runtime error is told by its message; anything else is a bug whose stack matters
      case IGNORE ->
          log.warn(
              component + ": failed to execute " + kind + " " + text + ": " + msg, ottl ? null : e);
    }
  }
}
