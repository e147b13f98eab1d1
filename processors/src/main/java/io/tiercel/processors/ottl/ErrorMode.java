package io.tiercel.processors.ottl;

/**
 * What to do when a statement or condition fails on an item (the collector's {@code error_mode}).
 */
public enum ErrorMode {
  /** Log the error (throttled) and continue with the next statement or condition. */
  IGNORE,
  /** Continue with the next statement or condition without logging. */
  SILENT,
  /** Fail the whole batch with a {@link io.tiercel.core.consumer.PermanentException}. */
  PROPAGATE
}
