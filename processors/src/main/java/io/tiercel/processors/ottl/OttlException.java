package io.tiercel.processors.ottl;

/**
 * A statement or condition that does not compile: the message names the text, the 1-based column
 * and what was expected, e.g. {@code invalid OTTL statement "set(name, )" at column 11: expected a
 * value, found ")"}.
 */
public final class OttlException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String text;
  private final int column;
  private final String detail;

  OttlException(String kind, String text, int column, String detail) {
    super("invalid OTTL " + kind + " \"" + text + "\" at column " + column + ": " + detail);
    this.text = text;
    this.column = column;
    this.detail = detail;
  }

  /** The statement or condition as written. */
  public String text() {
    return text;
  }

  /** 1-based column of the problem. */
  public int column() {
    return column;
  }

  /** What is wrong, without the statement and position. */
  public String detail() {
    return detail;
  }
}
