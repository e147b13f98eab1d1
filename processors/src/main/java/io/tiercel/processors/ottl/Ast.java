package io.tiercel.processors.ottl;

import java.util.List;

/**
 * The syntax tree of OTTL statements and conditions; {@code col} is the 1-based column of each
 * node.
 */
final class Ast {
  private Ast() {}

  sealed interface Node permits Lit, Path, Call, Ident, MathOp, MapLit, ListLit, Cmp, And, Or, Not {
    int col();
  }

  /** A literal: String, Long, Double, Boolean, Bytes or null. */
  record Lit(int col, Object value) implements Node {}

  /** {@code a.b.c["k"][0]}. */
  record Path(int col, List<String> names, List<Node> keys) implements Node {
    String dotted() {
      return String.join(".", names);
    }
  }

  /** {@code name(args)[keys]}; editor when the name starts lower-case. */
  record Call(int col, String name, List<Arg> args, List<Node> keys) implements Node {
    boolean editor() {
      return Character.isLowerCase(name.charAt(0));
    }
  }

  /** A positional ({@code name == null}) or named argument. */
  record Arg(int col, String name, Node value) {}

  /** An upper-case name that is not called: an enum symbol or a function reference. */
  record Ident(int col, String name) implements Node {}

  record MathOp(int col, char op, Node left, Node right) implements Node {}

  record MapLit(int col, List<String> keys, List<Node> values) implements Node {}

  record ListLit(int col, List<Node> values) implements Node {}

  record Cmp(int col, Values.CompareOp op, Node left, Node right) implements Node {}

  record And(int col, List<Node> terms) implements Node {}

  record Or(int col, List<Node> terms) implements Node {}

  record Not(int col, Node term) implements Node {}

  /** {@code editor(...) [where condition]}. */
  record Statement(Call editor, Node where) {}
}
