package io.tiercel.processors.ottl.eval;

import org.jspecify.annotations.Nullable;

/** A compiled value expression. */
@FunctionalInterface
public interface Getter {
  /**
   * Evaluates on the current item; throws {@link OttlRuntimeException} on a type or value error.
   */
  @Nullable Object get(CurrentItem c);
}
