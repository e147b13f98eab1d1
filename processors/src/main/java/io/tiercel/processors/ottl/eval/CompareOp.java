package io.tiercel.processors.ottl.eval;

import org.jspecify.annotations.Nullable;

/** The comparison operators of OTTL conditions. */
public enum CompareOp {
  EQ("=="),
  NE("!="),
  LT("<"),
  LTE("<="),
  GT(">"),
  GTE(">=");

  private final String symbol;

  CompareOp(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written ({@code ==}, {@code <=}, ...). */
  public String symbol() {
    return symbol;
  }

  /** The operator written as {@code s}; null when {@code s} is not one. */
  public static @Nullable CompareOp of(String s) {
    for (CompareOp op : values()) {
      if (op.symbol.equals(s)) {
        return op;
      }
    }
    return null;
  }
}
