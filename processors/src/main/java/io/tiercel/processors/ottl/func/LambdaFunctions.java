package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Lambda;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The converters that take lambdas: All, Any, Filter, Find, MapEach, MapKeys, Reduce and When
 * (experimental in the collector; a statement calling one needs the {@code
 * ottl.functions.enableLambda} gate). Over a slice a two-parameter lambda gets the index (int) and
 * the value; over a map, the key and the value. Results are new slices or maps: the source is not
 * changed.
 */
final class LambdaFunctions {
  private LambdaFunctions() {}

  /** Visits one element: {@code key} is the slice index (Long) or the map key; false stops. */
  @FunctionalInterface
  private interface Visitor {
    boolean visit(Object key, @Nullable Object value);
  }

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "All",
        (a, cols, col) -> {
          Getter source = (Getter) a[0];
          Lambda p = arity((Lambda) a[1], 2, "predicate", "All", cols[1]);
          return c -> {
            boolean[] all = {true};
            each(c, source.get(c), "All", (k, v) -> all[0] = test(c, p, "All", k, v));
            return all[0];
          };
        },
        required("source", ParamKind.ANY),
        required("predicate", ParamKind.LAMBDA));
    registry.converter(
        "Any",
        (a, cols, col) -> {
          Getter source = (Getter) a[0];
          Lambda p = arity((Lambda) a[1], 2, "predicate", "Any", cols[1]);
          return c -> {
            boolean[] any = {false};
            each(c, source.get(c), "Any", (k, v) -> !(any[0] = test(c, p, "Any", k, v)));
            return any[0];
          };
        },
        required("source", ParamKind.ANY),
        required("predicate", ParamKind.LAMBDA));
    registry.converter(
        "Filter",
        (a, cols, col) -> {
          Getter source = (Getter) a[0];
          Lambda p = arity((Lambda) a[1], 2, "predicate", "Filter", cols[1]);
          return c -> {
            Object src = source.get(c);
            if (src instanceof Map<?, ?>) {
              Map<String, Object> out = new LinkedHashMap<>();
              each(c, src, "Filter", (k, v) -> keep(test(c, p, "Filter", k, v), out, k, v));
              return out;
            }
            List<Object> out = new ArrayList<>();
            each(
                c,
                src,
                "Filter",
                (k, v) -> {
                  if (test(c, p, "Filter", k, v)) {
                    out.add(Values.copy(v));
                  }
                  return true;
                });
            return out;
          };
        },
        required("source", ParamKind.ANY),
        required("predicate", ParamKind.LAMBDA));
    registry.converter(
        "Find",
        (a, cols, col) -> {
          Getter source = (Getter) a[0];
          Lambda p = arity((Lambda) a[1], 2, "predicate", "Find", cols[1]);
          Lambda mapper = a[2] == null ? null : arity((Lambda) a[2], 2, "mapper", "Find", cols[2]);
          return c -> {
            Object[] found = {null};
            each(
                c,
                source.get(c),
                "Find",
                (k, v) -> {
                  if (!test(c, p, "Find", k, v)) {
                    return true;
                  }
                  found[0] = mapper == null ? Values.copy(v) : Values.copy(mapper.apply(c, k, v));
                  return false;
                });
            return found[0];
          };
        },
        required("source", ParamKind.ANY),
        required("predicate", ParamKind.LAMBDA),
        optional("mapper", ParamKind.LAMBDA));
    registry.converter(
        "MapEach",
        (a, cols, col) -> {
          Getter source = (Getter) a[0];
          Lambda m = arity((Lambda) a[1], 2, "mapper", "MapEach", cols[1]);
          return c -> {
            Object src = source.get(c);
            if (src instanceof Map<?, ?>) {
              Map<String, Object> out = new LinkedHashMap<>();
              each(c, src, "MapEach", (k, v) -> keep(true, out, k, m.apply(c, k, v)));
              return out;
            }
            List<Object> out = new ArrayList<>();
            each(c, src, "MapEach", (k, v) -> out.add(Values.copy(m.apply(c, k, v))));
            return out;
          };
        },
        required("source", ParamKind.ANY),
        required("mapper", ParamKind.LAMBDA));
    registry.converter(
        "MapKeys",
        (a, cols, col) -> {
          Getter source = (Getter) a[0];
          Lambda m = arity((Lambda) a[1], 2, "keyMapper", "MapKeys", cols[1]);
          return c -> {
            Object src = source.get(c);
            if (!(src instanceof Map<?, ?>)) {
              throw new OttlRuntimeException(
                  "MapKeys: expected a map but got " + Values.typeName(src));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            each(
                c,
                src,
                "MapKeys",
                (k, v) -> {
                  Object key = m.apply(c, k, v);
                  if (!(key instanceof String s)) {
                    throw new OttlRuntimeException(
                        "MapKeys: keyMapper returned "
                            + Values.typeName(key)
                            + ", expected a string");
                  }
                  out.put(s, Values.copy(v));
                  return true;
                });
            return out;
          };
        },
        required("source", ParamKind.ANY),
        required("keyMapper", ParamKind.LAMBDA));
    registry.converter(
        "Reduce",
        (a, cols, col) -> {
          Getter source = (Getter) a[0];
          Getter seed = (Getter) a[1];
          Lambda acc = arity((Lambda) a[2], 3, "accumulator", "Reduce", cols[2]);
          return c -> {
            Object[] value = {Values.copy(seed.get(c))};
            each(
                c,
                source.get(c),
                "Reduce",
                (k, v) -> {
                  value[0] = Values.copy(acc.apply(c, value[0], k, v));
                  return true;
                });
            return value[0];
          };
        },
        required("source", ParamKind.ANY),
        required("seed", ParamKind.ANY),
        required("accumulator", ParamKind.LAMBDA));
    registry.converter(
        "When",
        (a, cols, col) -> {
          Lambda cond = arity((Lambda) a[0], 0, "condition", "When", cols[0]);
          Getter yes = (Getter) a[1];
          Getter no = (Getter) a[2];
          return c -> {
            Object v = cond.apply(c);
            if (!(v instanceof Boolean b)) {
              throw new OttlRuntimeException(
                  "When: condition returned " + Values.typeName(v) + ", expected a bool");
            }
            return b ? yes.get(c) : no.get(c);
          };
        },
        required("condition", ParamKind.LAMBDA),
        required("trueValue", ParamKind.ANY),
        required("falseValue", ParamKind.ANY));
  }

  private static Lambda arity(Lambda l, int n, String param, String fn, int col) {
    if (l.arity() != n) {
      throw new CompileError(
          col,
          "argument \""
              + param
              + "\" of "
              + fn
              + " must be a lambda with "
              + n
              + (n == 1 ? " parameter" : " parameters")
              + ", got "
              + l.arity());
    }
    return l;
  }

  private static boolean keep(boolean keep, Map<String, Object> out, Object k, @Nullable Object v) {
    if (keep) {
      out.put((String) k, Values.copy(v));
    }
    return true;
  }

  private static boolean test(CurrentItem c, Lambda p, String fn, Object k, @Nullable Object v) {
    Object r = p.apply(c, k, v);
    if (r instanceof Boolean b) {
      return b;
    }
    throw new OttlRuntimeException(
        fn + ": predicate returned " + Values.typeName(r) + ", expected a bool");
  }

  /** Visits the elements of a slice or map in order until {@code visitor} returns false. */
  private static void each(CurrentItem c, @Nullable Object source, String fn, Visitor visitor) {
    if (source instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        if (!visitor.visit((long) i, list.get(i))) {
          return;
        }
      }
    } else if (source instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : List.copyOf(map.entrySet())) {
        if (!visitor.visit(String.valueOf(e.getKey()), e.getValue())) {
          return;
        }
      }
    } else {
      throw new OttlRuntimeException(
          fn + ": expected a slice or a map but got " + Values.typeName(source));
    }
  }
}
