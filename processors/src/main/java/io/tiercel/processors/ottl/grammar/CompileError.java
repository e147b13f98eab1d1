package io.tiercel.processors.ottl.grammar;

/**
 * A compile problem at a column of a statement or condition; the entry point turns it into an
 * {@code OttlException} carrying the text. Thrown by the parser, the compiler, path resolution and
 * function argument checks.
 */
public final class CompileError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int column;

  /** A problem at the 1-based {@code column}. */
  public CompileError(int column, String message) {
    super(message, null, false, false);
    this.column = column;
  }

  /** The 1-based column of the problem. */
  public int column() {
    return column;
  }
}
