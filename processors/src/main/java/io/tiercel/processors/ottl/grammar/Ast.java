package io.tiercel.processors.ottl.grammar;

import io.tiercel.processors.ottl.eval.CompareOp;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The syntax tree of OTTL statements and conditions; {@code col} is the 1-based column of each
 * node.
 */
public final class Ast {
  private Ast() {}

  /** A node of the tree. */
  public sealed interface Node
      permits Lit, Path, Call, Ident, MathOp, MapLit, ListLit, Cmp, And, Or, Not, Lambda {
    /** The 1-based column where the node starts. */
    int col();
  }

  /** A literal: String, Long, Double, Boolean, Bytes or null. */
  public record Lit(int col, @Nullable Object value) implements Node {}

  /** {@code a.b.c["k"][0]}. */
  public record Path(int col, List<String> names, List<Node> keys) implements Node {
    /** The names joined with dots, as written. */
    public String dotted() {
      return String.join(".", names);
    }
  }

  /** {@code name(args)[keys]}; editor when the name starts lower-case. */
  public record Call(int col, String name, List<Arg> args, List<Node> keys) implements Node {
    /** True for an editor (lower-case name), false for a converter. */
    public boolean editor() {
      return Character.isLowerCase(name.charAt(0));
    }
  }

  /** A positional ({@code name == null}) or named argument. */
  public record Arg(int col, @Nullable String name, Node value) {}

  /** An upper-case name that is not called: an enum symbol or a function reference. */
  public record Ident(int col, String name) implements Node {}

  public record MathOp(int col, char op, Node left, Node right) implements Node {}

  public record MapLit(int col, List<String> keys, List<Node> values) implements Node {}

  public record ListLit(int col, List<Node> values) implements Node {}

  public record Cmp(int col, CompareOp op, Node left, Node right) implements Node {}

  public record And(int col, List<Node> terms) implements Node {}

  public record Or(int col, List<Node> terms) implements Node {}

  public record Not(int col, Node term) implements Node {}

  /**
   * {@code (a, b) => body}: an argument of a function that takes a lambda. A parameter named {@code
   * _} is ignored; the others are read in the body by their bare names.
   */
  public record Lambda(int col, List<String> params, Node body) implements Node {}

  /** {@code editor(...) [where condition]}. */
  public record Statement(Call editor, @Nullable Node where) {}
}
