package io.tiercel.processors.ottl;

/** A compiled condition. */
@FunctionalInterface
interface BoolExpr {
  boolean test(Tctx c);
}
