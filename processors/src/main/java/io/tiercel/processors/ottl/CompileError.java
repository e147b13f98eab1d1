package io.tiercel.processors.ottl;

/**
 * Internal: a compile problem at a column, turned into {@link OttlException} with the statement
 * text.
 */
final class CompileError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int column;

  CompileError(int column, String message) {
    super(message, null, false, false);
    this.column = column;
  }
}
