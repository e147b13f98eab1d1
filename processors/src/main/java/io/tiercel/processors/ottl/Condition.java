package io.tiercel.processors.ottl;

import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.BoolExpr;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.util.List;

/** A compiled boolean condition. Immutable, thread-safe. */
public final class Condition {
  private final String text;
  private final OttlContext context;
  private final BoolExpr expr;
  private final List<String> gatedFunctions;

  Condition(String text, OttlContext context, BoolExpr expr, List<String> gatedFunctions) {
    this.text = text;
    this.context = context;
    this.expr = expr;
    this.gatedFunctions = List.copyOf(gatedFunctions);
  }

  /**
   * The same compiled condition evaluated in a deeper context (valid because all its paths are
   * prefixed).
   */
  Condition in(OttlContext deeper) {
    return new Condition(text, deeper, expr, gatedFunctions);
  }

  /** The condition as written. */
  public String text() {
    return text;
  }

  /** The functions it calls that take lambdas, sorted (see {@link OttlGates}). */
  public List<String> gatedFunctions() {
    return gatedFunctions;
  }

  /** The context it is evaluated in (given or inferred). */
  public OttlContext context() {
    return context;
  }

  /**
   * Evaluates on the item in {@code c}.
   *
   * @throws OttlRuntimeException when the condition fails on this item
   */
  public boolean test(CurrentItem c) {
    return expr.test(c);
  }

  @Override
  public String toString() {
    return text;
  }
}
