package io.tiercel.processors.ottl;

import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.BoolExpr;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A compiled statement: an editor call with an optional {@code where} condition. Immutable,
 * thread-safe.
 */
public final class Statement {
  private final String text;
  private final OttlContext context;
  private final Getter editor;
  private final @Nullable BoolExpr where;
  private final List<String> gatedFunctions;

  Statement(
      String text,
      OttlContext context,
      Getter editor,
      @Nullable BoolExpr where,
      List<String> gatedFunctions) {
    this.text = text;
    this.context = context;
    this.editor = editor;
    this.where = where;
    this.gatedFunctions = List.copyOf(gatedFunctions);
  }

  /**
   * The same compiled statement run in a deeper context (valid because all its paths are prefixed).
   */
  Statement in(OttlContext deeper) {
    return new Statement(text, deeper, editor, where, gatedFunctions);
  }

  /** The statement as written. */
  public String text() {
    return text;
  }

  /** The functions it calls that take lambdas, sorted (see {@link OttlGates}). */
  public List<String> gatedFunctions() {
    return gatedFunctions;
  }

  /** The context it runs in (given or inferred). */
  public OttlContext context() {
    return context;
  }

  /**
   * Runs on the item in {@code c} when its condition holds; returns whether the editor ran.
   *
   * @throws OttlRuntimeException when the statement fails on this item
   */
  public boolean execute(CurrentItem c) {
    if (where != null && !where.test(c)) {
      return false;
    }
    editor.get(c);
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
