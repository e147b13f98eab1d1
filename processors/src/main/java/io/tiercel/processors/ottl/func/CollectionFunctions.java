package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.mapCopy;
import static io.tiercel.processors.ottl.func.Args.strings;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.CompareOp;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Operators;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The converters over maps and slices: Keys, Values, ContainsValue, SliceToMap and Sort. */
final class CollectionFunctions {
  private CollectionFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "Keys",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> new ArrayList<Object>(mapCopy(t.get(c), "Keys").keySet());
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "Values",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> new ArrayList<Object>(mapCopy(t.get(c), "Values").values());
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "ContainsValue",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter item = (Getter) a[1];
          return c -> {
            Object l = t.get(c);
            if (!(l instanceof List<?> list)) {
              throw new OttlRuntimeException(
                  "ContainsValue: expected a slice but got " + Values.typeName(l));
            }
            Object x = item.get(c);
            for (Object o : list) {
              if (Operators.compare(o, x, CompareOp.EQ)) {
                return true;
              }
            }
            return false;
          };
        },
        required("target", ParamKind.ANY),
        required("item", ParamKind.ANY));
    registry.converter(
        "SliceToMap",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          List<String> keyPath = a[1] == null ? null : strings(a[1]);
          List<String> valuePath = a[2] == null ? null : strings(a[2]);
          if (keyPath != null && keyPath.isEmpty()) {
            throw new CompileError(cols[1], "key path must contain at least one element");
          }
          if (valuePath != null && valuePath.isEmpty()) {
            throw new CompileError(cols[2], "value path must contain at least one element");
          }
          return c -> {
            Object v = t.get(c);
            if (!(v instanceof List<?> l)) {
              throw new OttlRuntimeException(
                  "unsupported type provided to SliceToMap function: " + Values.typeName(v));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < l.size(); i++) {
              if (!(l.get(i) instanceof Map<?, ?> item)) {
                continue;
              }
              String key;
              if (keyPath == null) {
                key = Integer.toString(i);
              } else if (at(item, keyPath) instanceof String s) {
                key = s;
              } else {
                continue;
              }
              Object value = valuePath == null ? item : at(item, valuePath);
              if (value != null || valuePath == null) {
                out.put(key, value);
              }
            }
            return out;
          };
        },
        required("target", ParamKind.ANY),
        optional("keyPath", ParamKind.STR_LIST_LIT),
        optional("valuePath", ParamKind.STR_LIST_LIT));
    registry.converter(
        "Sort",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String order = a[1] == null ? "asc" : (String) a[1];
          if (!order.equals("asc") && !order.equals("desc")) {
            throw new CompileError(
                cols[1],
                "invalid sort order \"" + order + "\", valid values are \"asc\" and \"desc\"");
          }
          return c -> {
            Object v = t.get(c);
            if (!(v instanceof List<?> l)) {
              throw new OttlRuntimeException(
                  "Sort: expected a slice but got " + Values.typeName(v));
            }
            return CollectionFunctions.sort(l, order.equals("desc"));
          };
        },
        required("target", ParamKind.ANY),
        optional("order", ParamKind.STR_LIT));
  }

  /**
   * The collector's Sort rules: ints, floats, numbers (as floats), strings; anything else sorted as
   * strings.
   */
  static List<Object> sort(List<?> in, boolean desc) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      Object v = Values.norm(o);
      if (!(v instanceof Long
          || v instanceof Double
          || v instanceof String
          || v instanceof Boolean)) {
        throw new OttlRuntimeException(
            "Sort: sorting is not supported for " + Values.typeName(v) + " elements");
      }
      out.add(v);
    }
    boolean numeric = out.stream().allMatch(v -> v instanceof Long || v instanceof Double);
    Comparator<Object> cmp =
        numeric
            ? Comparator.comparingDouble(v -> ((Number) v).doubleValue())
            : Comparator.comparing(Values::asString);
    out.sort(desc ? cmp.reversed() : cmp);
    return out;
  }

  /** The value at {@code path} in nested maps, or null when a step is missing or not a map. */
  private static @Nullable Object at(Map<?, ?> m, List<String> path) {
    Object cur = m;
    for (String step : path) {
      if (!(cur instanceof Map<?, ?> map) || !map.containsKey(step)) {
        return null;
      }
      cur = map.get(step);
    }
    return cur;
  }
}
