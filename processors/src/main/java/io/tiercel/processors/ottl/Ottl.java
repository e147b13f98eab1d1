package io.tiercel.processors.ottl;

import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.compile.Compiler;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.BoolExpr;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.grammar.Ast;
import io.tiercel.processors.ottl.grammar.CompileError;
import io.tiercel.processors.ottl.grammar.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Compiles OTTL statements and conditions with the functions of one registry. Compilation parses
 * once, resolves every path, checks every function call (name, arity, argument kinds) and
 * precompiles regexes; the results are evaluated many times without re-parsing. Immutable and
 * thread-safe.
 */
public final class Ottl {
  private final FunctionRegistry functions;
  private final boolean exemplars;

  /** A compiler that knows the functions of {@code functions} and the common contexts. */
  public Ottl(FunctionRegistry functions) {
    this(functions, false);
  }

  private Ottl(FunctionRegistry functions, boolean exemplars) {
    this.functions = Objects.requireNonNull(functions, "functions");
    this.exemplars = exemplars;
  }

  /**
   * A compiler that also knows the exemplar context under metric data points, as the collector's
   * transform processor does.
   */
  public static Ottl withExemplarContext(FunctionRegistry functions) {
    return new Ottl(functions, true);
  }

  /** The contexts this compiler accepts for {@code signal}, from the top down. */
  public List<OttlContext> contexts(Signal signal) {
    return exemplars ? OttlContext.withExemplar(signal) : OttlContext.of(signal);
  }

  /** The functions this compiler knows. */
  public FunctionRegistry functions() {
    return functions;
  }

  /**
   * Compiles a statement.
   *
   * @param context the context to run in; null to infer it from the path prefixes (which are then
   *     required)
   * @param signal the signal whose contexts are valid
   * @throws OttlException naming the statement, the column and what was expected
   */
  public Statement statement(String text, @Nullable OttlContext context, Signal signal) {
    try {
      Ast.Statement st = Parser.statement(text);
      List<Ast.Node> nodes = new ArrayList<>();
      nodes.add(st.editor());
      if (st.where() != null) {
        nodes.add(st.where());
      }
      Compiler cc = Compiler.forNodes(nodes, context, signal, contexts(signal), functions);
      Getter editor = cc.editor(st.editor());
      Ast.Node whereNode = st.where();
      BoolExpr where = whereNode == null ? null : cc.bool(whereNode);
      return new Statement(text, cc.context(), editor, where, cc.gatedFunctions());
    } catch (CompileError e) {
      throw new OttlException("statement", text, e.column(), e.getMessage());
    }
  }

  /**
   * Compiles a condition.
   *
   * @param context the context to evaluate in; null to infer it from the path prefixes
   * @throws OttlException naming the condition, the column and what was expected
   */
  public Condition condition(String text, @Nullable OttlContext context, Signal signal) {
    try {
      Ast.Node n = Parser.condition(text);
      Compiler cc = Compiler.forNodes(List.of(n), context, signal, contexts(signal), functions);
      BoolExpr expr = cc.bool(n);
      return new Condition(text, cc.context(), expr, cc.gatedFunctions());
    } catch (CompileError e) {
      throw new OttlException("condition", text, e.column(), e.getMessage());
    }
  }

  /**
   * Compiles a group's statements and conditions into one context: the given one, or the deepest
   * context any of them infers (all must lie on one line of contexts, e.g. resource, scope, span).
   */
  public Group group(
      List<String> statements,
      List<String> conditions,
      @Nullable OttlContext context,
      Signal signal,
      @Nullable ErrorMode errorMode) {
    List<Statement> sts = new ArrayList<>();
    for (String s : statements) {
      sts.add(statement(s, context, signal));
    }
    List<Condition> conds = new ArrayList<>();
    for (String s : conditions) {
      conds.add(condition(s, context, signal));
    }
    return group(sts, conds, context, errorMode);
  }

  /**
   * Puts compiled statements and conditions into one group: in {@code context} when they were
   * compiled with it, else (null) in the deepest context any of them inferred, which all the others
   * must reach.
   *
   * @throws OttlException naming the first statement or condition whose context cannot be combined
   *     with the others'
   */
  public Group group(
      List<Statement> statements,
      List<Condition> conditions,
      @Nullable OttlContext context,
      @Nullable ErrorMode errorMode) {
    if (context != null) {
      return new Group(context, conditions, statements, errorMode);
    }
    OttlContext ctx = null;
    for (Statement st : statements) {
      ctx = ctx == null || st.context().depth() > ctx.depth() ? st.context() : ctx;
    }
    for (Condition c : conditions) {
      ctx = ctx == null || c.context().depth() > ctx.depth() ? c.context() : ctx;
    }
    if (ctx == null) {
      throw new IllegalArgumentException("a group needs a statement or a condition");
    }
    List<Statement> sts = new ArrayList<>();
    for (Statement st : statements) {
      if (!ctx.reaches(st.context())) {
        throw new OttlException(
            "statement",
            st.text(),
            1,
            "its "
                + st.context()
                + " context cannot be combined with the "
                + ctx
                + " context of the other statements of its group");
      }
      if (st.context() != ctx && hasBoundFunctions(ctx)) {
        statement(st.text(), ctx, signalOf(ctx));
      }
      sts.add(st.in(ctx));
    }
    List<Condition> conds = new ArrayList<>();
    for (Condition c : conditions) {
      if (!ctx.reaches(c.context())) {
        throw new OttlException(
            "condition",
            c.text(),
            1,
            "its "
                + c.context()
                + " context cannot be combined with the "
                + ctx
                + " context of the statements of its group");
      }
      if (c.context() != ctx && hasBoundFunctions(ctx)) {
        condition(c.text(), ctx, signalOf(ctx));
      }
      conds.add(c.in(ctx));
    }
    return new Group(ctx, conds, sts, errorMode);
  }

  /**
   * Whether a function may be bound to {@code ctx}, so that a statement or condition moved into it
   * from a shallower context is compiled there again: a function bound to its own context (a
   * metric-only editor among datapoint paths) is then an error, as in the collector, which infers
   * one context for a group and requires it to support every function. Resource and scope have no
   * such functions.
   */
  private static boolean hasBoundFunctions(OttlContext ctx) {
    return ctx != OttlContext.RESOURCE && ctx != OttlContext.SCOPE;
  }

  private static Signal signalOf(OttlContext ctx) {
    if (ctx == OttlContext.EXEMPLAR) {
      return Signal.METRICS;
    }
    for (Signal s : Signal.values()) {
      if (OttlContext.of(s).contains(ctx)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no signal has the " + ctx + " context");
  }
}
