package io.tiercel.processors.ottl;

import io.tiercel.core.pdata.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles OTTL statements and conditions. Compilation parses once, resolves every path, checks
 * every function call (name, arity, argument kinds) and precompiles regexes; the results are
 * evaluated many times without re-parsing.
 */
public final class Ottl {
  private Ottl() {}

  /**
   * Compiles a statement.
   *
   * @param context the context to run in; null to infer it from the path prefixes (which are then
   *     required)
   * @param signal the signal whose contexts are valid
   * @throws OttlException naming the statement, the column and what was expected
   */
  public static Statement statement(String text, OttlContext context, Signal signal) {
    try {
      Ast.Statement st = Parser.statement(text);
      List<Ast.Node> nodes = new ArrayList<>();
      nodes.add(st.editor());
      if (st.where() != null) {
        nodes.add(st.where());
      }
      Compiler cc = Compiler.forNodes(nodes, context, signal);
      Getter editor = Functions.editor(cc, st.editor());
      BoolExpr where = st.where() == null ? null : cc.bool(st.where());
      return new Statement(text, cc.ctx, editor, where);
    } catch (CompileError e) {
      throw new OttlException("statement", text, e.column, e.getMessage());
    }
  }

  /**
   * Compiles a condition.
   *
   * @param context the context to evaluate in; null to infer it from the path prefixes
   * @throws OttlException naming the condition, the column and what was expected
   */
  public static Condition condition(String text, OttlContext context, Signal signal) {
    try {
      Ast.Node n = Parser.condition(text);
      Compiler cc = Compiler.forNodes(List.of(n), context, signal);
      return new Condition(text, cc.ctx, cc.bool(n));
    } catch (CompileError e) {
      throw new OttlException("condition", text, e.column, e.getMessage());
    }
  }

  /**
   * Compiles a group's statements and conditions into one context: the given one, or the deepest
   * context any of them infers (all must lie on one line of contexts, e.g. resource, scope, span).
   */
  public static Group group(
      List<String> statements,
      List<String> conditions,
      OttlContext context,
      Signal signal,
      ErrorMode errorMode) {
    OttlContext ctx = context;
    if (ctx == null) {
      OttlContext deepest = null;
      for (String s : statements) {
        OttlContext c = statement(s, null, signal).context();
        deepest = deepest == null || c.depth() > deepest.depth() ? c : deepest;
      }
      for (String s : conditions) {
        OttlContext c = condition(s, null, signal).context();
        deepest = deepest == null || c.depth() > deepest.depth() ? c : deepest;
      }
      ctx = deepest;
    }
    List<Statement> sts = new ArrayList<>();
    for (String s : statements) {
      Statement st = statement(s, context, signal);
      if (context == null && !ctx.reaches(st.context())) {
        throw new OttlException(
            "statement",
            s,
            1,
            "its "
                + st.context()
                + " context cannot be combined with the "
                + ctx
                + " context of the other statements of its group");
      }
      sts.add(context == null ? st.in(ctx) : st);
    }
    List<Condition> conds = new ArrayList<>();
    for (String s : conditions) {
      Condition c = condition(s, context, signal);
      if (context == null && !ctx.reaches(c.context())) {
        throw new OttlException(
            "condition",
            s,
            1,
            "its "
                + c.context()
                + " context cannot be combined with the "
                + ctx
                + " context of the statements of its group");
      }
      conds.add(context == null ? c.in(ctx) : c);
    }
    return new Group(ctx, conds, sts, errorMode);
  }
}
