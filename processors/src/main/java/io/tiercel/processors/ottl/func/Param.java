package io.tiercel.processors.ottl.func;

/** A parameter of an OTTL function: its name (for named arguments and messages) and kind. */
public record Param(String name, ParamKind kind, boolean optional) {
  /** A parameter the call must give. */
  public static Param required(String name, ParamKind kind) {
    return new Param(name, kind, false);
  }

  /** A parameter the call may leave out (bound as null). */
  public static Param optional(String name, ParamKind kind) {
    return new Param(name, kind, true);
  }
}
