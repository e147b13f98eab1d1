package io.tiercel.processors.ottl.eval;

/** A compiled condition. */
@FunctionalInterface
public interface BoolExpr {
  /**
   * Evaluates on the current item; throws {@link OttlRuntimeException} on a type or value error.
   */
  boolean test(CurrentItem c);
}
