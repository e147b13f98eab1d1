package io.tiercel.processors.ottl.compile;

import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.ListLiteral;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.ottl.func.OttlFunction;
import io.tiercel.processors.ottl.func.Param;
import io.tiercel.processors.ottl.func.ParamKind;
import io.tiercel.processors.ottl.grammar.Ast;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Binds a function call to a function of the registry: finds it (or suggests a near name), checks
 * its context, matches positional and named arguments to parameters, checks each argument's kind
 * and compiles it, then lets the function build the call.
 */
final class FunctionBinder {
  private final FunctionRegistry functions;

  FunctionBinder(FunctionRegistry functions) {
    this.functions = functions;
  }

  /** True when {@code name} is a converter of the registry. */
  boolean isConverter(String name) {
    return functions.converter(name) != null;
  }

  /** The context a call of {@code name} infers (its function's only context), or null. */
  @Nullable OttlContext onlyIn(String name) {
    OttlFunction f = functions.function(name);
    return f == null ? null : f.onlyIn();
  }

  Getter editor(Compiler cc, Ast.Call call) {
    requireKnown(call);
    OttlFunction fn = functions.editor(call.name());
    if (fn == null) {
      throw new CompileError(
          call.col(), "\"" + call.name() + "\" is a converter; a statement starts with an editor");
    }
    if (!call.keys().isEmpty()) {
      throw new CompileError(call.col(), "editor \"" + call.name() + "\" cannot be indexed");
    }
    return bind(cc, fn, call);
  }

  Getter converter(Compiler cc, Ast.Call call) {
    requireKnown(call);
    OttlFunction fn = functions.converter(call.name());
    if (fn == null) {
      throw new CompileError(
          call.col(), "\"" + call.name() + "\" is an editor; it cannot be used as a value");
    }
    return bind(cc, fn, call);
  }

  /**
   * Fails with "unknown function" when the registry has no function called as {@code call} is (an
   * editor when the name starts lower-case, else a converter), suggesting the nearest names. The
   * functions that take a lambda are never suggested: the collector registers them only while the
   * {@code ottl.functions.enableLambda} gate is on, which it is not by default, and the gates are
   * not known while a config compiles.
   */
  void requireKnown(Ast.Call call) {
    String name = call.name();
    if (functions.function(name) == null) {
      boolean editor = Character.isLowerCase(name.charAt(0));
      throw new CompileError(
          call.col(),
          "unknown function \""
              + name
              + "\": "
              + suggest(
                  name, ungated(editor ? functions.editorNames() : functions.converterNames())));
    }
  }

  private Set<String> ungated(Set<String> names) {
    Set<String> out = new TreeSet<>();
    for (String n : names) {
      if (functions.function(n).params().stream().noneMatch(p -> p.kind() == ParamKind.LAMBDA)) {
        out.add(n);
      }
    }
    return out;
  }

  /** "did you mean X?" for a name within two edits of a known one, else the list of known names. */
  private static String suggest(String name, Set<String> known) {
    String best = null;
    int bestD = 3;
    for (String k : known) {
      int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best != null
        ? "did you mean " + best + "?"
        : "expected one of " + String.join(", ", known);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private Getter bind(Compiler cc, OttlFunction fn, Ast.Call call) {
    OttlContext only = fn.onlyIn();
    if (only != null && cc.context() != only) {
      throw new CompileError(
          call.col(),
          fn.name()
              + " is only available in the "
              + only
              + " context, not in the "
              + cc.context()
              + " context");
    }
    List<Param> ps = fn.params();
    Ast.Node[] nodes = new Ast.Node[ps.size()];
    int[] cols = new int[ps.size()];
    int i = 0;
    for (Ast.Arg arg : call.args()) {
      int idx;
      if (arg.name() == null) {
        if (i >= ps.size()) {
          throw new CompileError(
              arg.col(),
              "too many arguments to "
                  + fn.name()
                  + ": expected at most "
                  + ps.size()
                  + ", as in "
                  + fn.signature());
        }
        idx = i++;
      } else {
        idx = -1;
        for (int j = 0; j < ps.size(); j++) {
          if (ps.get(j).name().equals(arg.name())) {
            idx = j;
          }
        }
        if (idx < 0) {
          throw new CompileError(
              arg.col(),
              fn.name()
                  + " has no parameter named \""
                  + arg.name()
                  + "\": expected "
                  + fn.signature());
        }
        if (nodes[idx] != null) {
          throw new CompileError(
              arg.col(), "argument \"" + arg.name() + "\" of " + fn.name() + " is given twice");
        }
      }
      nodes[idx] = arg.value();
      cols[idx] = arg.col();
    }
    Object[] a = new Object[ps.size()];
    for (int j = 0; j < ps.size(); j++) {
      Param p = ps.get(j);
      if (nodes[j] == null) {
        if (!p.optional()) {
          throw new CompileError(
              call.col(),
              "missing argument \""
                  + p.name()
                  + "\" to "
                  + fn.name()
                  + ": expected "
                  + fn.signature());
        }
        continue;
      }
      a[j] = arg(cc, fn, p, nodes[j]);
    }
    return fn.builder().build(a, cols, call.col());
  }

  private static CompileError argError(OttlFunction fn, Param p, Ast.Node n, String expected) {
    return new CompileError(
        n.col(), "argument \"" + p.name() + "\" of " + fn.name() + " must be " + expected);
  }

  private Object arg(Compiler cc, OttlFunction fn, Param p, Ast.Node n) {
    switch (p.kind()) {
      case ANY:
        return cc.value(n);
      case PATH:
        if (n instanceof Ast.Path path) {
          return cc.path(path);
        }
        throw argError(fn, p, n, "a path (such as attributes[\"key\"])");
      case STR_LIT:
        if (n instanceof Ast.Lit l && l.value() instanceof String s) {
          return s;
        }
        throw argError(fn, p, n, "a string literal");
      case STR_LIKE:
        if (n instanceof Ast.Lit l && l.value() instanceof String s) {
          return s;
        }
        return cc.value(n);
      case INT_LIT:
        if (n instanceof Ast.Lit l && l.value() instanceof Long v) {
          return v;
        }
        throw argError(fn, p, n, "an int literal");
      case BOOL_LIT:
        if (n instanceof Ast.Lit l && l.value() instanceof Boolean v) {
          return v;
        }
        throw argError(fn, p, n, "true or false");
      case BYTES_LIT:
        if (n instanceof Ast.Lit l && l.value() instanceof Bytes v) {
          return v;
        }
        throw argError(fn, p, n, "a bytes literal (0x...)");
      case STRINGS:
        if (n instanceof Ast.ListLit l
            && l.values().stream()
                .allMatch(e -> e instanceof Ast.Lit lit && lit.value() instanceof String)) {
          return l.values().stream().map(e -> (String) ((Ast.Lit) e).value()).toList();
        }
        return cc.value(n);
      case BYTES_LIKE:
        if (n instanceof Ast.Lit l && (l.value() instanceof Bytes || l.value() instanceof String)) {
          return l.value();
        }
        return cc.value(n);
      case FLOAT_LIT:
        if (n instanceof Ast.Lit l && l.value() instanceof Double v) {
          return v;
        }
        throw argError(fn, p, n, "a float literal (such as 1.0)");
      case FLOAT_LIKE:
        if (n instanceof Ast.Lit l && l.value() instanceof Number v) {
          return v.doubleValue();
        }
        return cc.value(n);
      case FLOAT_LIST_LIT:
        if (n instanceof Ast.ListLit l) {
          List<Double> out = new ArrayList<>();
          for (Ast.Node e : l.values()) {
            if (!(e instanceof Ast.Lit lit && lit.value() instanceof Double d)) {
              throw argError(fn, p, e, "a list of float literals");
            }
            out.add(d);
          }
          return List.copyOf(out);
        }
        throw argError(fn, p, n, "a list of float literals such as [0.0, 10.0]");
      case STR_LIST_LIT:
        if (n instanceof Ast.ListLit l) {
          List<String> out = new ArrayList<>();
          for (Ast.Node e : l.values()) {
            if (!(e instanceof Ast.Lit lit && lit.value() instanceof String s)) {
              throw argError(fn, p, e, "a list of string literals");
            }
            out.add(s);
          }
          return List.copyOf(out);
        }
        throw argError(fn, p, n, "a list of string literals such as [\"a\", \"b\"]");
      case LIST:
        if (n instanceof Ast.ListLit l) {
          return new ListLiteral(l.values().stream().map(cc::value).toList());
        }
        Getter g = cc.value(n);
        return (Getter)
            c -> {
              Object v = g.get(c);
              if (v instanceof List<?>) {
                return v;
              }
              throw new OttlRuntimeException(
                  fn.name()
                      + ": expected a list for "
                      + p.name()
                      + " but got "
                      + Values.typeName(v));
            };
      case FUNC:
        OttlFunction f = n instanceof Ast.Ident id ? functions.converter(id.name()) : null;
        if (f != null) {
          if (f.params().isEmpty() || f.params().stream().skip(1).anyMatch(x -> !x.optional())) {
            throw argError(fn, p, n, "a converter taking one argument, such as SHA256");
          }
          Object[] fa = new Object[f.params().size()];
          fa[0] = (Getter) CurrentItem::functionArgument;
          Getter applied = f.builder().build(fa, new int[fa.length], n.col());
          BiFunction<CurrentItem, Object, Object> func =
              (c, v) -> {
                Object saved = c.functionArgument(v);
                try {
                  return applied.get(c);
                } finally {
                  c.functionArgument(saved);
                }
              };
          return func;
        }
        throw argError(fn, p, n, "the name of a converter, such as SHA256");
      case LAMBDA:
        if (n instanceof Ast.Lambda l) {
          cc.gated(fn.name());
          return cc.lambda(l);
        }
        throw argError(fn, p, n, "a lambda such as (k, v) => ...");
      default:
        throw new IllegalStateException(p.kind().toString());
    }
  }
}
