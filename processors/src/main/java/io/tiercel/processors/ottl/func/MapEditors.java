package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.mapCopy;
import static io.tiercel.processors.ottl.func.Args.strings;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tiercel.processors.ottl.context.Attrs;
import io.tiercel.processors.ottl.context.RootAttrs;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The editors of maps and lists: set, delete_key, delete_matching_keys, keep_keys,
 * keep_matching_keys, truncate_all, limit, merge_maps, flatten and append.
 */
final class MapEditors {
  private MapEditors() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.editor(
        "set",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Getter v = (Getter) a[1];
          return c -> {
            Object val = v.get(c);
            if (val != null) {
              t.set(c, val);
            }
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("value", ParamKind.ANY));
    registry.editor(
        "delete_key",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          String key = (String) a[1];
          if (t instanceof RootAttrs ra) {
            return c -> {
              ra.removeIf(c, key::equals);
              return null;
            };
          }
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "delete_key");
            if (m.remove(key) != null || m.containsKey(key)) {
              t.set(c, m);
            }
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("key", ParamKind.STR_LIT));
    registry.editor(
        "delete_matching_keys",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Pattern re = Regexes.compile((String) a[1], cols[1]);
          if (t instanceof RootAttrs ra) {
            return c -> {
              ra.removeIf(c, k -> re.matcher(k).find());
              return null;
            };
          }
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "delete_matching_keys");
            if (m.keySet().removeIf(k -> re.matcher(k).find())) {
              t.set(c, m);
            }
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("pattern", ParamKind.STR_LIT));
    registry.editor(
        "keep_matching_keys",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Pattern re = Regexes.compile((String) a[1], cols[1]);
          if (t instanceof RootAttrs ra) {
            return c -> {
              ra.removeIf(c, k -> !re.matcher(k).find());
              return null;
            };
          }
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "keep_matching_keys");
            if (m.keySet().removeIf(k -> !re.matcher(k).find())) {
              t.set(c, m);
            }
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("pattern", ParamKind.STR_LIT));
    registry.editor(
        "keep_keys",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Set<String> keep = new HashSet<>(strings(a[1]));
          if (t instanceof RootAttrs ra) {
            return c -> {
              ra.removeIf(c, k -> !keep.contains(k));
              return null;
            };
          }
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "keep_keys");
            if (m.keySet().removeIf(k -> !keep.contains(k))) {
              t.set(c, m);
            }
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("keys", ParamKind.STR_LIST_LIT));
    registry.editor(
        "truncate_all",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          long limit = (Long) a[1];
          boolean utf8Safe = a[2] == null || (Boolean) a[2];
          String marker = a[3] == null ? "" : (String) a[3];
          if (limit < 0) {
            throw new CompileError(
                cols[1],
                "invalid limit for truncate_all function, " + limit + " cannot be negative");
          }
          int markerBytes = marker.getBytes(StandardCharsets.UTF_8).length;
          if (markerBytes > limit) {
            throw new CompileError(
                cols[3],
                "invalid truncation_marker for truncate_all function: its "
                    + markerBytes
                    + " bytes exceed the limit "
                    + limit);
          }
          if (t instanceof RootAttrs ra) {
            return c -> {
              Object owner = ra.readOwner(c);
              boolean writing = false;
              List<KeyValue> l = Attrs.list(owner);
              for (int i = 0; i < l.size(); i++) {
                AnyValue v = l.get(i).getValue();
                if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
                  String cut = truncate(v.getStringValue(), limit, utf8Safe, marker);
                  if (cut != null) {
                    if (!writing) {
                      writing = true;
                      owner = ra.owner(c);
                      l = Attrs.list(owner);
                    }
                    Attrs.set(
                        owner,
                        i,
                        l.get(i).toBuilder()
                            .setValue(AnyValue.newBuilder().setStringValue(cut))
                            .build());
                    l = Attrs.list(owner);
                  }
                }
              }
              return null;
            };
          }
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "truncate_all");
            boolean changed = false;
            for (Map.Entry<String, Object> e : m.entrySet()) {
              if (e.getValue() instanceof String s) {
                String cut = truncate(s, limit, utf8Safe, marker);
                if (cut != null) {
                  e.setValue(cut);
                  changed = true;
                }
              }
            }
            if (changed) {
              t.set(c, m);
            }
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("limit", ParamKind.INT_LIT),
        optional("utf8_safe", ParamKind.BOOL_LIT),
        optional("truncation_marker", ParamKind.STR_LIT));
    registry.editor(
        "limit",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          long limit = (Long) a[1];
          List<String> prio = strings(a[2]);
          if (limit < 0) {
            throw new CompileError(
                cols[1], "invalid limit for limit function, " + limit + " cannot be negative");
          }
          if (limit < prio.size()) {
            throw new CompileError(
                cols[1],
                "invalid limit for limit function, "
                    + limit
                    + " cannot be less than number of priority attributes "
                    + prio.size());
          }
          Set<String> keep = new HashSet<>(prio);
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "limit");
            if (m.size() <= limit) {
              return null;
            }
            long count = m.keySet().stream().filter(keep::contains).count();
            var it = m.keySet().iterator();
            while (it.hasNext()) {
              String k = it.next();
              if (keep.contains(k)) {
                continue;
              }
              if (count < limit) {
                count++;
              } else {
                it.remove();
              }
            }
            t.set(c, m);
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("limit", ParamKind.INT_LIT),
        required("priority_keys", ParamKind.STR_LIST_LIT));
    registry.editor(
        "merge_maps",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Getter src = (Getter) a[1];
          String strategy = (String) a[2];
          if (!Set.of("insert", "update", "upsert").contains(strategy)) {
            throw new CompileError(
                cols[2],
                "invalid value for strategy, "
                    + strategy
                    + ", must be 'insert', 'update' or 'upsert'");
          }
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "merge_maps");
            Map<String, Object> s = mapCopy(src.get(c), "merge_maps");
            for (Map.Entry<String, Object> e : s.entrySet()) {
              boolean has = m.containsKey(e.getKey());
              if (strategy.equals("upsert")
                  || (strategy.equals("insert") && !has)
                  || (strategy.equals("update") && has)) {
                m.put(e.getKey(), Values.copy(e.getValue()));
              }
            }
            t.set(c, m);
            return null;
          };
        },
        required("target", ParamKind.PATH),
        required("source", ParamKind.ANY),
        required("strategy", ParamKind.STR_LIT));
    registry.editor(
        "flatten",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          String prefix = (String) a[1];
          long depth = a[2] == null ? Integer.MAX_VALUE : (Long) a[2];
          boolean resolve = a[3] != null && (Boolean) a[3];
          if (depth < 0) {
            throw new CompileError(
                cols[2], "invalid depth for flatten function, " + depth + " cannot be negative");
          }
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "flatten");
            Map<String, Object> out = new LinkedHashMap<>();
            flatten(out, m, prefix == null || prefix.isEmpty() ? "" : prefix, 0, depth, resolve);
            t.set(c, out);
            return null;
          };
        },
        required("target", ParamKind.PATH),
        optional("prefix", ParamKind.STR_LIT),
        optional("depth", ParamKind.INT_LIT),
        optional("resolveConflicts", ParamKind.BOOL_LIT));
    registry.editor(
        "append",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Getter one = (Getter) a[1];
          Getter many = (Getter) a[2];
          if (one == null && many == null) {
            throw new CompileError(
                col,
                "at least one of the optional arguments (\"value\" or \"values\") must be"
                    + " provided to append");
          }
          return c -> {
            Object cur = t.get(c);
            List<Object> out = new ArrayList<>();
            if (cur instanceof List<?> l) {
              out.addAll(l);
            } else if (cur != null) {
              out.add(cur);
            }
            if (one != null) {
              out.add(Values.copy(one.get(c)));
            }
            if (many != null) {
              for (Object o : (List<?>) many.get(c)) {
                out.add(Values.copy(o));
              }
            }
            t.set(c, out);
            return null;
          };
        },
        required("target", ParamKind.PATH),
        optional("value", ParamKind.ANY),
        optional("values", ParamKind.LIST));
  }

  @SuppressWarnings("unchecked")
  private static void flatten(
      Map<String, Object> out,
      Map<String, Object> m,
      String prefix,
      long depth,
      long maxDepth,
      boolean resolve) {
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      flattenValue(out, key, e.getValue(), depth, maxDepth, resolve);
    }
  }

  @SuppressWarnings("unchecked")
  private static void flattenValue(
      Map<String, Object> out, String key, Object v, long depth, long maxDepth, boolean resolve) {
    if (v instanceof Map<?, ?> sub && depth < maxDepth) {
      flatten(out, (Map<String, Object>) sub, key, depth + 1, maxDepth, resolve);
    } else if (v instanceof List<?> l && depth < maxDepth) {
      for (int i = 0; i < l.size(); i++) {
        flattenValue(out, key + "." + i, l.get(i), depth + 1, maxDepth, resolve);
      }
    } else if (resolve && out.containsKey(key)) {
      int n = 0;
      while (out.containsKey(key + "." + n)) {
        n++;
      }
      out.put(key + "." + n, v);
    } else {
      out.put(key, v);
    }
  }

  /**
   * {@code s} cut to at most {@code limit} UTF-8 bytes including {@code marker}, or null when it
   * fits. UTF-8 safe cuts never split a character; unsafe ones cut at the byte, and the split
   * character's remaining bytes read as U+FFFD (a Java string holds no invalid UTF-8).
   */
  static @Nullable String truncate(String s, long limit, boolean utf8Safe, String marker) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= limit) {
      return null;
    }
    int cut = (int) limit - marker.getBytes(StandardCharsets.UTF_8).length;
    if (utf8Safe) {
      while (cut > 0 && (b[cut] & 0xc0) == 0x80) {
        cut--;
      }
    }
    return new String(b, 0, cut, StandardCharsets.UTF_8) + marker;
  }
}
