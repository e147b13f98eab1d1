package io.tiercel.processors.ottl.func;

/** What a function parameter accepts, checked at compile time; the bound Java type in brackets. */
public enum ParamKind {
  /** Any value expression [{@link io.tiercel.processors.ottl.eval.Getter}]. */
  ANY,
  /** A path that can be written [{@link io.tiercel.processors.ottl.eval.Accessor}]. */
  PATH,
  /** A string literal [String]. */
  STR_LIT,
  /**
   * A string: a string literal [String, usable at compile time], or any other expression [{@link
   * io.tiercel.processors.ottl.eval.Getter}, read per item].
   */
  STR_LIKE,
  /** An int literal [Long]. */
  INT_LIT,
  /** {@code true} or {@code false} [Boolean]. */
  BOOL_LIT,
  /** A list of string literals [{@code List<String>}]. */
  STR_LIST_LIT,
  /** A list literal or an expression giving a list [Getter of a {@code List}]. */
  LIST,
  /**
   * The name of a converter taking one argument, such as SHA256 [{@code BiFunction<CurrentItem,
   * Object, Object>} applying it].
   */
  FUNC,
  /** A bytes literal {@code 0x...} [{@link io.tiercel.processors.ottl.eval.Bytes}]. */
  BYTES_LIT,
  /**
   * Bytes or a hex string: a literal of either [{@link io.tiercel.processors.ottl.eval.Bytes} or
   * String, checked at compile time], or any other expression [{@link
   * io.tiercel.processors.ottl.eval.Getter}, checked per item].
   */
  BYTES_LIKE,
  /**
   * A list of strings: a list literal of string literals [{@code List<String>}, checked at compile
   * time], or any other expression giving a list [{@link io.tiercel.processors.ottl.eval.Getter}].
   */
  STRINGS,
  /**
   * A float literal such as {@code 0.5} [Double]; an int literal is refused, as in the collector.
   */
  FLOAT_LIT,
  /** A list of float literals such as {@code [0.0, 10.0]} [{@code List<Double>}]. */
  FLOAT_LIST_LIT,
  /**
   * A number: an int or float literal [Double, checked at compile time], or any other expression
   * [{@link io.tiercel.processors.ottl.eval.Getter}, converted per item].
   */
  FLOAT_LIKE,
  /**
   * A lambda, {@code (k, v) => body} [{@link io.tiercel.processors.ottl.eval.Lambda}]: a function
   * with such a parameter needs the collector's {@code ottl.functions.enableLambda} gate.
   */
  LAMBDA
}
