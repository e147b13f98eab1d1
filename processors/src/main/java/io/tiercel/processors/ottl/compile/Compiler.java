package io.tiercel.processors.ottl.compile;

import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.context.Contexts;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.BoolExpr;
import io.tiercel.processors.ottl.eval.CompareOp;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Keys;
import io.tiercel.processors.ottl.eval.Lambda;
import io.tiercel.processors.ottl.eval.Operators;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.grammar.Ast;
import io.tiercel.processors.ottl.grammar.Ast.Node;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Turns the syntax tree of one statement or condition into getters, accessors and boolean
 * expressions for one context, binding function calls through the registry it was given. Used
 * during compilation only, by one thread.
 */
public final class Compiler {
  private final OttlContext ctx;
  private final boolean prefixed;
  private final FunctionBinder functions;
  // lambda parameters in scope while a lambda body compiles: name -> slot
  private final Map<String, Integer> lambdaScope = new HashMap<>();
  private int lambdaSlots;
  private final Set<String> gated = new TreeSet<>();

  private Compiler(OttlContext ctx, boolean prefixed, FunctionBinder functions) {
    this.ctx = ctx;
    this.prefixed = prefixed;
    this.functions = functions;
  }

  /** The context the statement or condition runs in. */
  public OttlContext context() {
    return ctx;
  }

  /**
   * The functions called so far that take lambda arguments: they need the collector's {@code
   * ottl.functions.enableLambda} gate.
   */
  public List<String> gatedFunctions() {
    return List.copyOf(gated);
  }

  /** Records that {@code function} (which takes a lambda) is called. */
  void gated(String function) {
    gated.add(function);
  }

  /**
   * Compiles a lambda argument: its parameters get slots of their own and shadow paths of the same
   * name in its body; the body is a value or a condition.
   */
  Lambda lambda(Ast.Lambda l) {
    int[] slots = new int[l.params().size()];
    Map<String, Integer> saved = new HashMap<>(lambdaScope);
    for (int i = 0; i < slots.length; i++) {
      String name = l.params().get(i);
      if (name.equals("_")) {
        slots[i] = -1;
      } else {
        slots[i] = lambdaSlots++;
        lambdaScope.put(name, slots[i]);
      }
    }
    try {
      Node body = l.body();
      Getter g;
      if (body instanceof Ast.Cmp
          || body instanceof Ast.And
          || body instanceof Ast.Or
          || body instanceof Ast.Not) {
        BoolExpr b = bool(body);
        g = c -> b.test(c);
      } else {
        g = value(body);
      }
      return new Lambda(slots, g);
    } finally {
      lambdaScope.clear();
      lambdaScope.putAll(saved);
    }
  }

  /** Compiles an editor call (the statement's body). */
  public Getter editor(Ast.Call call) {
    return functions.editor(this, call);
  }

  /**
   * The compiler for a statement: in {@code context}, or (when null) in the context inferred from
   * the path prefixes, which must then be present on every path.
   */
  public static Compiler forNodes(
      List<Node> nodes,
      @Nullable OttlContext context,
      Signal signal,
      List<OttlContext> valid,
      FunctionRegistry functionRegistry) {
    FunctionBinder functions = new FunctionBinder(functionRegistry);
    if (context != null) {
      return new Compiler(context, false, functions);
    }
    Map<OttlContext, Integer> used = new LinkedHashMap<>();
    for (Node n : nodes) {
      collect(n, used, functions);
    }
    String validNames = valid.stream().map(OttlContext::id).collect(Collectors.joining(", "));
    if (used.isEmpty()) {
      int col = 1;
      for (Node n : nodes) {
        Ast.Path p = firstPath(n);
        if (p != null) {
          col = p.col();
          break;
        }
      }
      throw new CompileError(
          col, "unable to infer a context: prefix paths with one of " + validNames);
    }
    OttlContext deepest = null;
    for (Map.Entry<OttlContext, Integer> e : used.entrySet()) {
      if (!valid.contains(e.getKey())) {
        throw new CompileError(
            e.getValue(),
            "context \""
                + e.getKey()
                + "\" is not valid for "
                + signal
                + ": expected one of "
                + validNames);
      }
      if (deepest == null || e.getKey().depth() > deepest.depth()) {
        deepest = e.getKey();
      }
    }
    for (Map.Entry<OttlContext, Integer> e : used.entrySet()) {
      if (!deepest.reaches(e.getKey())) {
        throw new CompileError(
            e.getValue(),
            "paths of the "
                + e.getKey()
                + " and "
                + deepest
                + " contexts cannot be used in one statement");
      }
    }
    return new Compiler(deepest, true, functions);
  }

  private static Ast.@Nullable Path firstPath(Node n) {
    if (n instanceof Ast.Path p) {
      return p;
    }
    List<Node> kids = new ArrayList<>();
    if (n instanceof Ast.Call c) {
      c.args().forEach(a -> kids.add(a.value()));
    } else if (n instanceof Ast.MathOp m) {
      kids.add(m.left());
      kids.add(m.right());
    } else if (n instanceof Ast.Cmp m) {
      kids.add(m.left());
      kids.add(m.right());
    } else if (n instanceof Ast.And a) {
      kids.addAll(a.terms());
    } else if (n instanceof Ast.Or a) {
      kids.addAll(a.terms());
    } else if (n instanceof Ast.Not a) {
      kids.add(a.term());
    } else if (n instanceof Ast.Lambda l) {
      kids.add(l.body());
    }
    for (Node k : kids) {
      Ast.Path p = firstPath(k);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static @Nullable OttlContext prefix(String name) {
    return switch (name) {
      case "resource" -> OttlContext.RESOURCE;
      case "scope", "instrumentation_scope" -> OttlContext.SCOPE;
      case "span" -> OttlContext.SPAN;
      case "spanevent" -> OttlContext.SPANEVENT;
      case "metric" -> OttlContext.METRIC;
      case "datapoint" -> OttlContext.DATAPOINT;
      case "exemplar" -> OttlContext.EXEMPLAR;
      case "log" -> OttlContext.LOG;
      default -> null;
    };
  }

  private static void collect(
      @Nullable Node n, Map<OttlContext, Integer> used, FunctionBinder functions) {
    if (n == null) {
      return;
    }
    if (n instanceof Ast.Path p) {
      OttlContext c = prefix(p.names().get(0));
      if (c != null) {
        used.putIfAbsent(c, p.col());
      }
      p.keys().forEach(k -> collect(k, used, functions));
    } else if (n instanceof Ast.Call c) {
      functions.requireKnown(c);
      OttlContext only = functions.onlyIn(c.name());
      if (only != null) {
        used.putIfAbsent(only, c.col());
      }
      c.args().forEach(a -> collect(a.value(), used, functions));
      c.keys().forEach(k -> collect(k, used, functions));
    } else if (n instanceof Ast.MathOp m) {
      collect(m.left(), used, functions);
      collect(m.right(), used, functions);
    } else if (n instanceof Ast.Cmp m) {
      collect(m.left(), used, functions);
      collect(m.right(), used, functions);
    } else if (n instanceof Ast.And a) {
      a.terms().forEach(t -> collect(t, used, functions));
    } else if (n instanceof Ast.Or a) {
      a.terms().forEach(t -> collect(t, used, functions));
    } else if (n instanceof Ast.Not a) {
      collect(a.term(), used, functions);
    } else if (n instanceof Ast.MapLit m) {
      m.values().forEach(v -> collect(v, used, functions));
    } else if (n instanceof Ast.ListLit l) {
      l.values().forEach(v -> collect(v, used, functions));
    } else if (n instanceof Ast.Lambda l) {
      collect(l.body(), used, functions);
    }
  }

  // ------------------------------------------------------------------ paths

  Accessor path(Ast.Path p) {
    List<String> names = p.names();
    if (names.size() == 1 && lambdaScope.containsKey(names.get(0))) {
      throw new CompileError(
          p.col(), "lambda parameter \"" + names.get(0) + "\" cannot be written");
    }
    OttlContext target = prefix(names.get(0));
    List<String> rest;
    if (target != null && names.size() > 1) {
      if (!ctx.reaches(target)) {
        throw new CompileError(
            p.col(),
            "path \""
                + p.dotted()
                + "\" is not available in the "
                + ctx
                + " context: expected one of "
                + ctx.lineage().stream().map(OttlContext::id).collect(Collectors.joining(", ")));
      }
      rest = names.subList(1, names.size());
    } else {
      if (prefixed) {
        throw new CompileError(
            p.col(),
            "missing context name for path \""
                + p.dotted()
                + "\": expected a prefix such as "
                + ctx
                + "."
                + p.dotted());
      }
      target = ctx;
      rest = names;
    }
    Getter[] keys = new Getter[p.keys().size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = value(p.keys().get(i));
    }
    return Contexts.resolve(target, String.join(".", rest), keys, p.col(), p.dotted());
  }

  // ------------------------------------------------------------------ values

  Getter value(Node n) {
    if (n instanceof Ast.Lit l) {
      Object v = l.value();
      return c -> v;
    } else if (n instanceof Ast.Path p) {
      if (p.names().size() == 1 && lambdaScope.containsKey(p.names().get(0))) {
        int slot = lambdaScope.get(p.names().get(0));
        Getter[] keys = p.keys().stream().map(this::value).toArray(Getter[]::new);
        return keys.length == 0
            ? c -> c.lambdaArg(slot)
            : c -> Keys.index(c.lambdaArg(slot), keys, 0, c);
      }
      return path(p);
    } else if (n instanceof Ast.Lambda l) {
      throw new CompileError(
          l.col(), "a lambda can only be the argument of a function parameter that takes one");
    } else if (n instanceof Ast.Call call) {
      if (call.editor()) {
        throw new CompileError(
            call.col(),
            "editor \""
                + call.name()
                + "\" cannot be used as a value: expected a"
                + " converter (an upper-case function)");
      }
      Getter g = functions.converter(this, call);
      if (call.keys().isEmpty()) {
        return g;
      }
      Getter[] keys = call.keys().stream().map(this::value).toArray(Getter[]::new);
      return c -> Keys.index(g.get(c), keys, 0, c);
    } else if (n instanceof Ast.Ident id) {
      Long e = Enums.get(id.name());
      if (e == null) {
        if (functions.isConverter(id.name())) {
          throw new CompileError(
              id.col(),
              "converter \"" + id.name() + "\" must be called: expected " + id.name() + "(...)");
        }
        throw new CompileError(id.col(), "unknown enum symbol \"" + id.name() + "\"");
      }
      long v = e;
      return c -> v;
    } else if (n instanceof Ast.MathOp m) {
      Getter l = value(m.left());
      Getter r = value(m.right());
      char op = m.op();
      return c -> Operators.math(l.get(c), op, r.get(c));
    } else if (n instanceof Ast.MapLit m) {
      List<String> ks = m.keys();
      List<Getter> vs = m.values().stream().map(this::value).toList();
      return c -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < ks.size(); i++) {
          out.put(ks.get(i), Values.copy(vs.get(i).get(c)));
        }
        return out;
      };
    } else if (n instanceof Ast.ListLit l) {
      List<Getter> vs = l.values().stream().map(this::value).toList();
      return c -> {
        List<Object> out = new ArrayList<>(vs.size());
        for (Getter g : vs) {
          out.add(Values.copy(g.get(c)));
        }
        return out;
      };
    } else {
      throw new CompileError(n.col(), "expected a value, found a condition");
    }
  }

  // ------------------------------------------------------------------ booleans

  /** Compiles a condition. */
  public BoolExpr bool(Node n) {
    if (n instanceof Ast.Lit l) {
      if (!(l.value() instanceof Boolean b)) {
        throw new CompileError(l.col(), "expected a boolean, found " + Values.typeName(l.value()));
      }
      boolean v = b;
      return c -> v;
    } else if (n instanceof Ast.Call call) {
      Getter g = value(call);
      String name = call.name();
      return c -> {
        Object v = g.get(c);
        if (v instanceof Boolean b) {
          return b;
        }
        throw new OttlRuntimeException(
            "converter " + name + " returned " + Values.typeName(v) + ", expected a bool");
      };
    } else if (n instanceof Ast.Cmp cmp) {
      Getter l = value(cmp.left());
      Getter r = value(cmp.right());
      CompareOp op = cmp.op();
      return c -> Operators.compare(l.get(c), r.get(c), op);
    } else if (n instanceof Ast.And a) {
      BoolExpr[] ts = a.terms().stream().map(this::bool).toArray(BoolExpr[]::new);
      return c -> {
        for (BoolExpr t : ts) {
          if (!t.test(c)) {
            return false;
          }
        }
        return true;
      };
    } else if (n instanceof Ast.Or a) {
      BoolExpr[] ts = a.terms().stream().map(this::bool).toArray(BoolExpr[]::new);
      return c -> {
        for (BoolExpr t : ts) {
          if (t.test(c)) {
            return true;
          }
        }
        return false;
      };
    } else if (n instanceof Ast.Not nt) {
      BoolExpr t = bool(nt.term());
      return c -> !t.test(c);
    } else {
      throw new CompileError(n.col(), "expected a condition");
    }
  }
}
