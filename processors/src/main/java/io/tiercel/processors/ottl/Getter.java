package io.tiercel.processors.ottl;

/** A compiled value expression. */
@FunctionalInterface
interface Getter {
  /**
   * Evaluates on the current item; throws {@link OttlRuntimeException} on a type or value error.
   */
  Object get(Tctx c);
}
