package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.Getter;

/**
 * Builds a compiled function call from its bound arguments. Runs once per call site at compile
 * time: literal arguments are checked (throwing {@link
 * io.tiercel.processors.ottl.grammar.CompileError} at their column) and regexes precompiled here,
 * not per item.
 */
@FunctionalInterface
public interface FunctionBuilder {
  /**
   * Builds the call.
   *
   * @param args one per parameter, of the Java type its {@link ParamKind} names; null when an
   *     optional argument is absent
   * @param cols the 1-based column of each argument (0 when absent)
   * @param col the column of the call
   * @return the compiled call; an editor's returns null
   */
  Getter build(Object[] args, int[] cols, int col);
}
