package io.tiercel.core.pdata.json;

/**
 * Malformed OTLP JSON: not JSON at all, or JSON whose values do not fit the OTLP schema (a trace id
 * that is not 32 hex digits, a string where a number belongs, an unknown enum name). The message
 * names the problem and where it is ({@code at line 3, column 17 (offset 42)}), so that a receiver
 * can hand it back to the sender as the reason for an HTTP 400 / a permanent error.
 */
public final class OtlpJsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int offset;
  private final int line;
  private final int column;

  OtlpJsonException(String problem, int offset, int line, int column) {
    super(problem + " at line " + line + ", column " + column + " (offset " + offset + ")");
    this.offset = offset;
    this.line = line;
    this.column = column;
  }

  /** Byte offset of the problem in the input (0-based). */
  public int offset() {
    return offset;
  }

  /** Line of the problem (1-based). */
  public int line() {
    return line;
  }

  /** Column of the problem (1-based, in bytes). */
  public int column() {
    return column;
  }
}
