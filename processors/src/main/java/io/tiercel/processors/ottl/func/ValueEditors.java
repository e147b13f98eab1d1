package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.lng;
import static io.tiercel.processors.ottl.func.Args.mapCopy;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The editors that rewrite the values of a slice or map: delete_index and stringify_all. */
final class ValueEditors {
  private ValueEditors() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.editor(
        "delete_index",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Getter start = (Getter) a[1];
          Getter end = (Getter) a[2];
          return c -> {
            Object v = t.get(c);
            if (!(v instanceof List<?> list)) {
              throw new OttlRuntimeException(
                  "delete_index: expected a slice but got " + Values.typeName(v));
            }
            long from = lng(start.get(c), "delete_index");
            long to = end == null ? from + 1 : lng(end.get(c), "delete_index");
            int len = list.size();
            if (from == 0 && to == len) {
              t.set(c, new ArrayList<>());
              return null;
            }
            if (from < 0 || from >= len) {
              throw new OttlRuntimeException(
                  "startIndex " + from + " out of bounds for slice of length " + len);
            }
            if (to < from) {
              throw new OttlRuntimeException(
                  "endIndex " + to + " cannot be less than startIndex " + from);
            }
            if (to > len) {
              throw new OttlRuntimeException(
                  "deletion range ["
                      + from
                      + ":"
                      + to
                      + "] out of bounds for slice of length "
                      + len);
            }
            if (from < to) {
              List<Object> out = new ArrayList<>(list);
              out.subList((int) from, (int) to).clear();
              t.set(c, out);
            }
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("startIndex", ParamKind.ANY),
        optional("endIndex", ParamKind.ANY));
    registry.editor(
        "stringify_all",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "stringify_all");
            boolean changed = false;
            for (Map.Entry<String, Object> e : m.entrySet()) {
              if (!(e.getValue() instanceof String)) {
                e.setValue(Values.asString(e.getValue()));
                changed = true;
              }
            }
            if (changed) {
              t.set(c, m);
            }
            return null;
          };
        },
        required("target", ParamKind.PATH));
  }
}
