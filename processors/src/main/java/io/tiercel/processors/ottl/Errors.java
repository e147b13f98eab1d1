package io.tiercel.processors.ottl;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.util.ThrottledLogger;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
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
  private final ErrorMode unset;

  /**
   * Errors logged to {@code logger}, lines prefixed with {@code component}; a failure without an
   * error mode of its own propagates.
   */
  public Errors(Logger logger, String component) {
    this(logger, component, ErrorMode.PROPAGATE);
  }

  /**
   * Errors logged to {@code logger}, lines prefixed with {@code component}.
   *
   * @param unset the mode of a failure whose statement or condition has none of its own (the
   *     processor's default, which the collector's feature gates choose)
   */
  public Errors(Logger logger, String component, ErrorMode unset) {
    this.log = new ThrottledLogger(logger, LOG_INTERVAL);
    this.component = component;
    this.unset = unset;
  }

  /** Failures seen so far, whatever the mode. */
  public long failures() {
    return failures.get();
  }

  /**
   * Handles one failure of {@code text} (a statement or condition).
   *
   * @param mode the error mode configured for it; null when none was, so the default applies
   */
  public void failed(@Nullable ErrorMode mode, String kind, String text, RuntimeException e) {
    failures.incrementAndGet();
    boolean ottl = e instanceof OttlRuntimeException;
    String msg = ottl ? e.getMessage() : e.toString();
    switch (mode == null ? unset : mode) {
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
