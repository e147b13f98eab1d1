package io.tiercel.processors.ottl.eval;

/** A statement or condition failed on one item (wrong type, missing value, bad argument). */
public final class OttlRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OttlRuntimeException(String message) {
    super(message, null, false, false);
  }
}
