package io.tiercel.processors.ottl;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The OTTL editors and converters (after the collector's ottlfuncs and filterprocessor docs). */
final class Functions {
  private Functions() {}

  enum K {
    ANY,
    PATH,
    STR_LIT,
    INT_LIT,
    BOOL_LIT,
    STR_LIST_LIT,
    LIST,
    FUNC,
    BYTES_LIT
  }

  record P(String name, K kind, boolean optional) {}

  /**
   * Builds the compiled function from bound arguments ({@code a[i]} null when an optional one is
   * absent).
   */
  @FunctionalInterface
  interface Impl {
    Getter build(Object[] a, int[] cols, int col);
  }

  record Fn(String name, List<P> params, Impl impl) {
    String signature() {
      return name
          + "("
          + params.stream()
              .map(p -> p.optional() ? "Optional[" + p.name() + "]" : p.name())
              .collect(Collectors.joining(", "))
          + ")";
    }
  }

  private static final Map<String, Fn> EDITORS = new TreeMap<>();
  private static final Map<String, Fn> CONVERTERS = new TreeMap<>();

  private static P p(String name, K kind) {
    return new P(name, kind, false);
  }

  private static P opt(String name, K kind) {
    return new P(name, kind, true);
  }

  private static void editor(String name, Impl impl, P... params) {
    EDITORS.put(name, new Fn(name, List.of(params), impl));
  }

  private static void conv(String name, Impl impl, P... params) {
    CONVERTERS.put(name, new Fn(name, List.of(params), impl));
  }

  static boolean isConverter(String name) {
    return CONVERTERS.containsKey(name);
  }

  static Getter editor(Compiler cc, Ast.Call call) {
    Fn fn = EDITORS.get(call.name());
    if (fn == null) {
      throw new CompileError(
          call.col(),
          "unknown editor \"" + call.name() + "\": " + suggest(call.name(), EDITORS.keySet()));
    }
    if (!call.keys().isEmpty()) {
      throw new CompileError(call.col(), "editor \"" + call.name() + "\" cannot be indexed");
    }
    return bind(cc, fn, call);
  }

  static Getter converter(Compiler cc, Ast.Call call) {
    Fn fn = CONVERTERS.get(call.name());
    if (fn == null) {
      throw new CompileError(
          call.col(),
          "unknown converter \""
              + call.name()
              + "\": "
              + suggest(call.name(), CONVERTERS.keySet()));
    }
    return bind(cc, fn, call);
  }

  /** "did you mean X?" for a name within two edits of a known one, else the list of known names. */
  static String suggest(String name, Set<String> known) {
    String best = null;
    int bestD = 3;
    for (String k : known) {
      int d =
          distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
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

  /** Functions that exist only in one context (the transform/filter processors' own functions). */
  private static final Map<String, OttlContext> ONLY_IN =
      Map.of(
          "HasAttrKeyOnDatapoint",
          OttlContext.METRIC,
          "HasAttrOnDatapoint",
          OttlContext.METRIC,
          "convert_sum_to_gauge",
          OttlContext.METRIC,
          "convert_gauge_to_sum",
          OttlContext.METRIC,
          "IsRootSpan",
          OttlContext.SPAN);

  private static Getter bind(Compiler cc, Fn fn, Ast.Call call) {
    OttlContext only = ONLY_IN.get(fn.name());
    if (only != null && cc.ctx != only) {
      throw new CompileError(
          call.col(),
          fn.name()
              + " is only available in the "
              + only
              + " context, not in the "
              + cc.ctx
              + " context");
    }
    List<P> ps = fn.params();
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
      P p = ps.get(j);
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
    return fn.impl().build(a, cols, call.col());
  }

  private static CompileError argError(Fn fn, P p, Ast.Node n, String expected) {
    return new CompileError(
        n.col(), "argument \"" + p.name() + "\" of " + fn.name() + " must be " + expected);
  }

  private static Object arg(Compiler cc, Fn fn, P p, Ast.Node n) {
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
          List<Getter> gs = l.values().stream().map(cc::value).toList();
          return (Getter)
              c -> {
                List<Object> out = new ArrayList<>(gs.size());
                for (Getter g : gs) {
                  out.add(g.get(c));
                }
                return out;
              };
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
        if (n instanceof Ast.Ident id && CONVERTERS.containsKey(id.name())) {
          Fn f = CONVERTERS.get(id.name());
          if (f.params().isEmpty() || f.params().stream().skip(1).anyMatch(x -> !x.optional())) {
            throw argError(fn, p, n, "a converter taking one argument, such as SHA256");
          }
          Object[] fa = new Object[f.params().size()];
          fa[0] = (Getter) c -> c.hole;
          Getter applied = f.impl().build(fa, new int[fa.length], n.col());
          BiFunction<Tctx, Object, Object> func =
              (c, v) -> {
                Object saved = c.hole;
                c.hole = v;
                try {
                  return applied.get(c);
                } finally {
                  c.hole = saved;
                }
              };
          return func;
        }
        throw argError(fn, p, n, "the name of a converter, such as SHA256");
      default:
        throw new IllegalStateException(p.kind().toString());
    }
  }

  // ------------------------------------------------------------------ runtime helpers

  /** A STR_LIST_LIT argument. */
  private static List<String> strings(Object arg) {
    return ((List<?>) arg).stream().map(String.class::cast).toList();
  }

  static String str(Object v, String fn) {
    if (v instanceof String s) {
      return s;
    }
    throw new OttlRuntimeException(fn + ": expected string but got " + Values.typeName(v));
  }

  static long lng(Object v, String fn) {
    v = Values.norm(v);
    if (v instanceof Long l) {
      return l;
    }
    throw new OttlRuntimeException(fn + ": expected int64 but got " + Values.typeName(v));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> mapCopy(Object v, String fn) {
    if (v instanceof Map<?, ?> m) {
      return new LinkedHashMap<>((Map<String, Object>) m);
    }
    throw new OttlRuntimeException(fn + ": expected a map but got " + Values.typeName(v));
  }

  private static Instant time(Object v, String fn) {
    if (v instanceof Instant t) {
      return t;
    }
    throw new OttlRuntimeException(fn + ": expected a time but got " + Values.typeName(v));
  }

  private static Duration duration(Object v, String fn) {
    if (v instanceof Duration d) {
      return d;
    }
    throw new OttlRuntimeException(fn + ": expected a duration but got " + Values.typeName(v));
  }

  private static String digest(String alg, String s) {
    try {
      return Bytes.wrap(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)))
          .hex();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The FNV-1a 64-bit hash as a signed int64, as the collector returns it. */
  static long fnv1a64(byte[] data) {
    long h = 0xcbf29ce484222325L;
    for (byte b : data) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static String checkFormat(String format, int col) {
    if (format == null) {
      return null;
    }
    int first = format.indexOf("%s");
    if (first < 0
        || format.indexOf("%s", first + 1) >= 0
        || format.replace("%s", "").contains("%")) {
      throw new CompileError(
          col,
          "replacementFormat must contain exactly one %s format specifier, got \"" + format + "\"");
    }
    return format;
  }

  @SuppressWarnings("unchecked")
  private static String applyFn(Tctx c, Object fn, String format, String value, String name) {
    String out = value;
    if (fn != null) {
      Object r = ((BiFunction<Tctx, Object, Object>) fn).apply(c, value);
      out = str(r, name);
    }
    return format == null ? out : format.replace("%s", out);
  }

  /** Go's strings.Split. */
  static List<Object> split(String s, String sep) {
    List<Object> out = new ArrayList<>();
    if (sep.isEmpty()) {
      s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
      return out;
    }
    int from = 0;
    while (true) {
      int i = s.indexOf(sep, from);
      if (i < 0) {
        out.add(s.substring(from));
        return out;
      }
      out.add(s.substring(from, i));
      from = i + sep.length();
    }
  }

  private static Iterable<?> dataPoints(MetricOrBuilder m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList();
      case SUM -> m.getSum().getDataPointsList();
      case HISTOGRAM -> m.getHistogram().getDataPointsList();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList();
      case SUMMARY -> m.getSummary().getDataPointsList();
      case DATA_NOT_SET -> List.of();
    };
  }

  private static List<KeyValue> dpAttrs(Object dp) {
    if (dp instanceof NumberDataPoint d) {
      return d.getAttributesList();
    } else if (dp instanceof HistogramDataPoint d) {
      return d.getAttributesList();
    } else if (dp instanceof ExponentialHistogramDataPoint d) {
      return d.getAttributesList();
    } else if (dp instanceof SummaryDataPoint d) {
      return d.getAttributesList();
    }
    return List.of();
  }

  // ------------------------------------------------------------------ editors

  static {
    editor(
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
        p("target", K.PATH),
        p("value", K.ANY));

    editor(
        "delete_key",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          String key = (String) a[1];
          if (t instanceof Paths.RootAttrs ra) {
            return c -> {
              Attrs.removeIf(ra.owner(c), key::equals);
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
        p("target", K.PATH),
        p("key", K.STR_LIT));

    editor(
        "delete_matching_keys",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Pattern re = Regexes.compile((String) a[1], cols[1]);
          if (t instanceof Paths.RootAttrs ra) {
            return c -> {
              Attrs.removeIf(ra.owner(c), k -> re.matcher(k).find());
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
        p("target", K.PATH),
        p("pattern", K.STR_LIT));

    editor(
        "keep_matching_keys",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Pattern re = Regexes.compile((String) a[1], cols[1]);
          if (t instanceof Paths.RootAttrs ra) {
            return c -> {
              Attrs.removeIf(ra.owner(c), k -> !re.matcher(k).find());
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
        p("target", K.PATH),
        p("pattern", K.STR_LIT));

    editor(
        "keep_keys",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Set<String> keep = new HashSet<>(strings(a[1]));
          if (t instanceof Paths.RootAttrs ra) {
            return c -> {
              Attrs.removeIf(ra.owner(c), k -> !keep.contains(k));
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
        p("target", K.PATH),
        p("keys", K.STR_LIST_LIT));

    editor(
        "truncate_all",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          long limit = (Long) a[1];
          if (limit < 0) {
            throw new CompileError(
                cols[1],
                "invalid limit for truncate_all function, " + limit + " cannot be negative");
          }
          if (t instanceof Paths.RootAttrs ra) {
            return c -> {
              Object owner = ra.owner(c);
              List<KeyValue> l = Attrs.list(owner);
              for (int i = 0; i < l.size(); i++) {
                AnyValue v = l.get(i).getValue();
                if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE
                    && v.getStringValue().length() > limit) {
                  Attrs.set(
                      owner,
                      i,
                      l.get(i).toBuilder()
                          .setValue(
                              AnyValue.newBuilder()
                                  .setStringValue(v.getStringValue().substring(0, (int) limit)))
                          .build());
                  l = Attrs.list(owner);
                }
              }
              return null;
            };
          }
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "truncate_all");
            boolean changed = false;
            for (Map.Entry<String, Object> e : m.entrySet()) {
              if (e.getValue() instanceof String s && s.length() > limit) {
                e.setValue(s.substring(0, (int) limit));
                changed = true;
              }
            }
            if (changed) {
              t.set(c, m);
            }
            return null;
          };
        },
        p("target", K.PATH),
        p("limit", K.INT_LIT));

    editor(
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
        p("target", K.PATH),
        p("limit", K.INT_LIT),
        p("priority_keys", K.STR_LIST_LIT));

    editor(
        "replace_pattern",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Regexes.Re re = Regexes.compileNamed((String) a[1], cols[1]);
          Getter repl = (Getter) a[2];
          Object fn = a[3];
          String format = checkFormat((String) a[4], cols[4]);
          return c -> {
            if (!(t.get(c) instanceof String s)) {
              return null;
            }
            String r = str(repl.get(c), "replace_pattern");
            String out = replaceAll(re, s, r, fn, format, c, "replace_pattern");
            if (!out.equals(s)) {
              t.set(c, out);
            }
            return null;
          };
        },
        p("target", K.PATH),
        p("regex", K.STR_LIT),
        p("replacement", K.ANY),
        opt("function", K.FUNC),
        opt("replacementFormat", K.STR_LIT));

    editor(
        "replace_all_patterns",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          String mode = (String) a[1];
          if (!mode.equals("key") && !mode.equals("value")) {
            throw new CompileError(
                cols[1], "invalid mode \"" + mode + "\", must be \"key\" or \"value\"");
          }
          Regexes.Re re = Regexes.compileNamed((String) a[2], cols[2]);
          Getter repl = (Getter) a[3];
          Object fn = a[4];
          String format = checkFormat((String) a[5], cols[5]);
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "replace_all_patterns");
            String r = str(repl.get(c), "replace_all_patterns");
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : m.entrySet()) {
              if (mode.equals("key")) {
                String k =
                    re.pattern().matcher(e.getKey()).find()
                        ? replaceAll(re, e.getKey(), r, fn, format, c, "replace_all_patterns")
                        : e.getKey();
                out.put(k, e.getValue());
              } else if (e.getValue() instanceof String s && re.pattern().matcher(s).find()) {
                out.put(e.getKey(), replaceAll(re, s, r, fn, format, c, "replace_all_patterns"));
              } else {
                out.put(e.getKey(), e.getValue());
              }
            }
            t.set(c, out);
            return null;
          };
        },
        p("target", K.PATH),
        p("mode", K.STR_LIT),
        p("regex", K.STR_LIT),
        p("replacement", K.ANY),
        opt("function", K.FUNC),
        opt("replacementFormat", K.STR_LIT));

    editor(
        "replace_match",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Pattern glob = Regexes.glob((String) a[1], cols[1]);
          Getter repl = (Getter) a[2];
          Object fn = a[3];
          String format = checkFormat((String) a[4], cols[4]);
          return c -> {
            if (t.get(c) instanceof String s && glob.matcher(s).matches()) {
              t.set(c, applyFn(c, fn, format, str(repl.get(c), "replace_match"), "replace_match"));
            }
            return null;
          };
        },
        p("target", K.PATH),
        p("pattern", K.STR_LIT),
        p("replacement", K.ANY),
        opt("function", K.FUNC),
        opt("replacementFormat", K.STR_LIT));

    editor(
        "replace_all_matches",
        (a, cols, col) -> {
          Accessor t = (Accessor) a[0];
          Pattern glob = Regexes.glob((String) a[1], cols[1]);
          Getter repl = (Getter) a[2];
          Object fn = a[3];
          String format = checkFormat((String) a[4], cols[4]);
          return c -> {
            Map<String, Object> m = mapCopy(t.get(c), "replace_all_matches");
            boolean changed = false;
            for (Map.Entry<String, Object> e : m.entrySet()) {
              if (e.getValue() instanceof String s && glob.matcher(s).matches()) {
                e.setValue(
                    applyFn(
                        c,
                        fn,
                        format,
                        str(repl.get(c), "replace_all_matches"),
                        "replace_all_matches"));
                changed = true;
              }
            }
            if (changed) {
              t.set(c, m);
            }
            return null;
          };
        },
        p("target", K.PATH),
        p("pattern", K.STR_LIT),
        p("replacement", K.ANY),
        opt("function", K.FUNC),
        opt("replacementFormat", K.STR_LIT));

    editor(
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
        p("target", K.PATH),
        p("source", K.ANY),
        p("strategy", K.STR_LIT));

    editor(
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
        p("target", K.PATH),
        opt("prefix", K.STR_LIT),
        opt("depth", K.INT_LIT),
        opt("resolveConflicts", K.BOOL_LIT));

    editor(
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
        p("target", K.PATH),
        opt("value", K.ANY),
        opt("values", K.LIST));
  }

  // transform processor's metric-only editors
  static {
    editor(
        "convert_sum_to_gauge",
        (a, cols, col) ->
            c -> {
              if (c.metric instanceof io.opentelemetry.proto.metrics.v1.Metric.Builder m
                  && m.hasSum()) {
                var points = m.getSum().getDataPointsList();
                m.setGauge(
                    io.opentelemetry.proto.metrics.v1.Gauge.newBuilder().addAllDataPoints(points));
              }
              return null;
            });
    editor(
        "convert_gauge_to_sum",
        (a, cols, col) -> {
          String temporality = (String) a[0];
          boolean monotonic = (Boolean) a[1];
          int t;
          switch (temporality) {
            case "cumulative" -> t = 2;
            case "delta" -> t = 1;
            default ->
                throw new CompileError(
                    cols[0],
                    "unknown aggregation temporality: "
                        + temporality
                        + ", expected \"cumulative\" or \"delta\"");
          }
          return c -> {
            if (c.metric instanceof io.opentelemetry.proto.metrics.v1.Metric.Builder m
                && m.hasGauge()) {
              var points = m.getGauge().getDataPointsList();
              m.setSum(
                  io.opentelemetry.proto.metrics.v1.Sum.newBuilder()
                      .setAggregationTemporalityValue(t)
                      .setIsMonotonic(monotonic)
                      .addAllDataPoints(points));
            }
            return null;
          };
        },
        p("aggregation_temporality", K.STR_LIT),
        p("is_monotonic", K.BOOL_LIT));
  }

  // more converters from the collector's ottlfuncs
  static {
    conv(
        "ConvertCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String to = (String) a[1];
          if (!Set.of("lower", "upper", "snake", "camel").contains(to)) {
            throw new CompileError(
                cols[1], "invalid case: " + to + ", allowed cases are: lower, upper, snake, camel");
          }
          return c -> {
            String s = str(t.get(c), "ConvertCase");
            return switch (to) {
              case "lower" -> s.toLowerCase(java.util.Locale.ROOT);
              case "upper" -> s.toUpperCase(java.util.Locale.ROOT);
              case "snake" -> MoreConverters.snake(s);
              default -> MoreConverters.camel(s);
            };
          };
        },
        p("target", K.ANY),
        p("toCase", K.STR_LIT));
    conv(
        "ToSnakeCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> MoreConverters.snake(str(t.get(c), "ToSnakeCase"));
        },
        p("target", K.ANY));
    conv(
        "ToCamelCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> MoreConverters.camel(str(t.get(c), "ToCamelCase"));
        },
        p("target", K.ANY));
    conv(
        "Trim",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String cut = a[1] == null ? " " : (String) a[1];
          return c -> MoreConverters.trim(str(t.get(c), "Trim"), cut);
        },
        p("target", K.ANY),
        opt("replacement", K.STR_LIT));
    conv(
        "Index",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter v = (Getter) a[1];
          return c -> {
            Object target = t.get(c);
            Object value = v.get(c);
            if (target instanceof String s) {
              int i = s.indexOf(str(value, "Index"));
              return i < 0 ? -1L : (long) s.substring(0, i).getBytes(StandardCharsets.UTF_8).length;
            }
            if (target instanceof List<?> l) {
              for (int i = 0; i < l.size(); i++) {
                if (Values.compare(l.get(i), value, Values.CompareOp.EQ)) {
                  return (long) i;
                }
              }
              return -1L;
            }
            throw new OttlRuntimeException(
                "Index: expected a string or a slice but got " + Values.typeName(target));
          };
        },
        p("target", K.ANY),
        p("value", K.ANY));
    conv(
        "ParseInt",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter b = (Getter) a[1];
          return c -> {
            long base = lng(b.get(c), "ParseInt");
            if (base < 0) {
              throw new OttlRuntimeException(
                  "ParseInt: invalid base " + base + ", must be 0 or between 2 and 36");
            }
            return MoreConverters.parseInt(str(t.get(c), "ParseInt"), base);
          };
        },
        p("target", K.ANY),
        p("base", K.ANY));
    conv(
        "Base64Decode",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> MoreConverters.decode(str(t.get(c), "Base64Decode"), "base64");
        },
        p("value", K.ANY));
    conv(
        "Decode",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String enc = (String) a[1];
          if (!enc.startsWith("base64")) {
            try {
              java.nio.charset.Charset.forName(enc);
            } catch (IllegalArgumentException e) {
              throw new CompileError(cols[1], "Decode: unsupported encoding \"" + enc + "\"");
            }
          }
          return c -> MoreConverters.decode(t.get(c), enc);
        },
        p("value", K.ANY),
        p("encoding", K.STR_LIT));
    conv(
        "Year",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> (long) MoreConverters.utc(time(t.get(c), "Year")).getYear();
        },
        p("value", K.ANY));
    conv(
        "Month",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> (long) MoreConverters.utc(time(t.get(c), "Month")).getMonthValue();
        },
        p("value", K.ANY));
    conv(
        "Day",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> (long) MoreConverters.utc(time(t.get(c), "Day")).getDayOfMonth();
        },
        p("value", K.ANY));
    conv(
        "Hour",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> (long) MoreConverters.utc(time(t.get(c), "Hour")).getHour();
        },
        p("value", K.ANY));
    conv(
        "Minute",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> (long) MoreConverters.utc(time(t.get(c), "Minute")).getMinute();
        },
        p("value", K.ANY));
    conv(
        "Second",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> (long) MoreConverters.utc(time(t.get(c), "Second")).getSecond();
        },
        p("value", K.ANY));
    conv(
        "Nanosecond",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> (long) time(t.get(c), "Nanosecond").getNano();
        },
        p("value", K.ANY));
    conv(
        "Weekday",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c ->
              (long) (MoreConverters.utc(time(t.get(c), "Weekday")).getDayOfWeek().getValue() % 7);
        },
        p("value", K.ANY));
    conv(
        "Hours",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> duration(t.get(c), "Hours").toNanos() / 3.6e12;
        },
        p("value", K.ANY));
    conv(
        "Minutes",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> duration(t.get(c), "Minutes").toNanos() / 6e10;
        },
        p("value", K.ANY));
    conv(
        "Microseconds",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> duration(t.get(c), "Microseconds").toNanos() / 1_000L;
        },
        p("value", K.ANY));
    conv(
        "TruncateTime",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter d = (Getter) a[1];
          return c ->
              MoreConverters.truncate(
                  time(t.get(c), "TruncateTime"), duration(d.get(c), "TruncateTime"));
        },
        p("time", K.ANY),
        p("duration", K.ANY));
    conv(
        "Log",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            double d;
            if (v instanceof Double x) {
              d = x;
            } else if (v instanceof Long x) {
              d = x;
            } else if (v instanceof Boolean x) {
              d = x ? 1 : 0;
            } else if (v instanceof String x) {
              try {
                d = Double.parseDouble(x);
              } catch (NumberFormatException e) {
                throw new OttlRuntimeException("Log: invalid value \"" + x + "\"");
              }
            } else {
              throw new OttlRuntimeException("Log: unsupported type " + Values.typeName(v));
            }
            if (d <= 0) {
              throw new OttlRuntimeException(
                  "Log: value must be greater than zero, got " + Values.formatDouble(d));
            }
            return Math.log(d);
          };
        },
        p("value", K.ANY));
    conv(
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
            return MoreConverters.sort(l, order.equals("desc"));
          };
        },
        p("target", K.ANY),
        opt("order", K.STR_LIT));
    conv(
        "Values",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> MoreConverters.values(mapCopy(t.get(c), "Values"));
        },
        p("target", K.ANY));
    conv("UUID", (a, cols, col) -> c -> MoreConverters.uuid());
    conv(
        "Time",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          java.time.format.DateTimeFormatter f = Strptime.formatter((String) a[1], cols[1]);
          java.time.ZoneId zone;
          try {
            zone =
                a[2] == null || ((String) a[2]).isEmpty()
                    ? java.time.ZoneOffset.UTC
                    : java.time.ZoneId.of((String) a[2]);
          } catch (java.time.DateTimeException e) {
            throw new CompileError(cols[2], "unknown time zone \"" + a[2] + "\"");
          }
          return c -> Strptime.parse(str(t.get(c), "Time"), f, zone);
        },
        p("target", K.ANY),
        p("format", K.STR_LIT),
        opt("location", K.STR_LIT));
    conv(
        "FormatTime",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          java.time.format.DateTimeFormatter f = Strptime.formatter((String) a[1], cols[1]);
          return c -> Strptime.format(time(t.get(c), "FormatTime"), f, java.time.ZoneOffset.UTC);
        },
        p("time", K.ANY),
        p("format", K.STR_LIT));
    conv(
        "ExtractPatterns",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Regexes.Re re = Regexes.compileNamed((String) a[1], cols[1]);
          if (re.names().isEmpty()) {
            throw new CompileError(
                cols[1], "at least 1 named capture group must be supplied in the given regex");
          }
          return c -> {
            Matcher m = re.pattern().matcher(str(t.get(c), "ExtractPatterns"));
            Map<String, Object> out = new LinkedHashMap<>();
            if (m.find()) {
              re.names().entrySet().stream()
                  .sorted(Map.Entry.comparingByValue())
                  .forEach(
                      e -> {
                        String g = m.group(e.getValue());
                        out.put(e.getKey(), g == null ? "" : g);
                      });
            }
            return out;
          };
        },
        p("target", K.ANY),
        p("pattern", K.STR_LIT));
    conv(
        "IsValidLuhn",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v instanceof Long l) {
              return MoreConverters.luhn(Long.toString(l));
            }
            return MoreConverters.luhn(str(v, "IsValidLuhn"));
          };
        },
        p("value", K.ANY));
  }

  private static String replaceAll(
      Regexes.Re re, String s, String repl, Object fn, String format, Tctx c, String name) {
    Matcher m = re.pattern().matcher(s);
    StringBuilder sb = new StringBuilder();
    int last = 0;
    while (m.find()) {
      sb.append(s, last, m.start());
      String expanded = Regexes.expand(repl, m, re.names());
      sb.append(fn == null && format == null ? expanded : applyFn(c, fn, format, expanded, name));
      last = m.end();
      if (m.end() == m.start()) {
        if (m.end() < s.length()) {
          sb.append(s.charAt(m.end()));
        }
        last = m.end() + 1;
        if (last > s.length()) {
          break;
        }
        m.region(last, s.length());
      }
    }
    if (last < s.length()) {
      sb.append(s, last, s.length());
    }
    return sb.toString();
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

  // ------------------------------------------------------------------ converters

  static {
    conv(
        "IsMatch",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Pattern re = Regexes.compile((String) a[1], cols[1]);
          return c -> {
            Object v = t.get(c);
            if (v == null) {
              return false;
            }
            return re.matcher(v instanceof String s ? s : Values.asString(v)).find();
          };
        },
        p("target", K.ANY),
        p("pattern", K.STR_LIT));

    conv(
        "Concat",
        (a, cols, col) -> {
          Getter vals = (Getter) a[0];
          String delim = (String) a[1];
          return c -> {
            List<?> l = (List<?>) vals.get(c);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
              if (i > 0) {
                sb.append(delim);
              }
              Object v = Values.norm(l.get(i));
              if (v == null) {
                sb.append("<nil>");
              } else if (v instanceof Bytes b) {
                sb.append(b.hex());
              } else if (v instanceof String
                  || v instanceof Long
                  || v instanceof Double
                  || v instanceof Boolean) {
                sb.append(Values.asString(v));
              }
            }
            return sb.toString();
          };
        },
        p("vals", K.LIST),
        p("delimiter", K.STR_LIT));

    conv(
        "Split",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String d = (String) a[1];
          return c -> split(str(t.get(c), "Split"), d);
        },
        p("target", K.ANY),
        p("delimiter", K.STR_LIT));

    conv(
        "Substring",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter st = (Getter) a[1];
          Getter ln = (Getter) a[2];
          return c -> {
            String s = str(t.get(c), "Substring");
            long start = lng(st.get(c), "Substring");
            long length = lng(ln.get(c), "Substring");
            if (start < 0) {
              throw new OttlRuntimeException(
                  "Substring: invalid start " + start + ", must be >= 0");
            }
            if (length <= 0) {
              throw new OttlRuntimeException(
                  "Substring: invalid length " + length + ", must be > 0");
            }
            if (start + length > s.length()) {
              throw new OttlRuntimeException(
                  "Substring: start "
                      + start
                      + " + length "
                      + length
                      + " exceeds the length "
                      + s.length()
                      + " of the target");
            }
            return s.substring((int) start, (int) (start + length));
          };
        },
        p("target", K.ANY),
        p("start", K.ANY),
        p("length", K.ANY));

    conv(
        "ToLowerCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> str(t.get(c), "ToLowerCase").toLowerCase(java.util.Locale.ROOT);
        },
        p("target", K.ANY));
    conv(
        "ToUpperCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> str(t.get(c), "ToUpperCase").toUpperCase(java.util.Locale.ROOT);
        },
        p("target", K.ANY));

    conv(
        "Int",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v instanceof Long) {
              return v;
            } else if (v instanceof Double d) {
              return (long) (double) d;
            } else if (v instanceof Boolean b) {
              return b ? 1L : 0L;
            } else if (v instanceof String s) {
              try {
                return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
              } catch (NumberFormatException e) {
                return null;
              }
            }
            return null;
          };
        },
        p("value", K.ANY));

    conv(
        "Double",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v instanceof Double) {
              return v;
            } else if (v instanceof Long l) {
              return (double) l;
            } else if (v instanceof Boolean b) {
              return b ? 1.0 : 0.0;
            } else if (v instanceof String s) {
              try {
                return Double.parseDouble(s.strip().equals(s) ? s : "x");
              } catch (NumberFormatException e) {
                return null;
              }
            }
            return null;
          };
        },
        p("value", K.ANY));

    conv(
        "String",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v == null) {
              return null;
            }
            if (v instanceof Bytes b) {
              return b.hex();
            }
            return Values.asString(v);
          };
        },
        p("value", K.ANY));

    conv(
        "IsString",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> t.get(c) instanceof String;
        },
        p("value", K.ANY));
    conv(
        "IsInt",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Values.norm(t.get(c)) instanceof Long;
        },
        p("value", K.ANY));
    conv(
        "IsDouble",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Values.norm(t.get(c)) instanceof Double;
        },
        p("value", K.ANY));
    conv(
        "IsBool",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> t.get(c) instanceof Boolean;
        },
        p("value", K.ANY));
    conv(
        "IsMap",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> t.get(c) instanceof Map;
        },
        p("value", K.ANY));
    conv(
        "IsList",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> t.get(c) instanceof List;
        },
        p("value", K.ANY));

    conv(
        "Len",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = t.get(c);
            if (v instanceof String s) {
              return (long) s.getBytes(StandardCharsets.UTF_8).length;
            } else if (v instanceof List<?> l) {
              return (long) l.size();
            } else if (v instanceof Map<?, ?> m) {
              return (long) m.size();
            }
            throw new OttlRuntimeException(
                "Len: unsupported type "
                    + Values.typeName(v)
                    + ", expected a string, slice or map");
          };
        },
        p("target", K.ANY));

    conv(
        "SHA256",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> digest("SHA-256", str(t.get(c), "SHA256"));
        },
        p("input", K.ANY));
    conv(
        "SHA1",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> digest("SHA-1", str(t.get(c), "SHA1"));
        },
        p("input", K.ANY));
    conv(
        "SHA512",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> digest("SHA-512", str(t.get(c), "SHA512"));
        },
        p("input", K.ANY));
    conv(
        "MD5",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> digest("MD5", str(t.get(c), "MD5"));
        },
        p("input", K.ANY));
    conv(
        "FNV",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> fnv1a64(str(t.get(c), "FNV").getBytes(StandardCharsets.UTF_8));
        },
        p("value", K.ANY));

    conv(
        "ParseJSON",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Json.parse(str(t.get(c), "ParseJSON"));
        },
        p("target", K.ANY));

    conv("Now", (a, cols, col) -> c -> c.clock.instant());
    conv(
        "UnixNano",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Paths.nanos(time(t.get(c), "UnixNano"));
        },
        p("time", K.ANY));
    conv(
        "UnixMicro",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Paths.nanos(time(t.get(c), "UnixMicro")) / 1_000L;
        },
        p("time", K.ANY));
    conv(
        "UnixMilli",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> time(t.get(c), "UnixMilli").toEpochMilli();
        },
        p("time", K.ANY));
    conv(
        "UnixSeconds",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> time(t.get(c), "UnixSeconds").getEpochSecond();
        },
        p("time", K.ANY));
    conv(
        "Unix",
        (a, cols, col) -> {
          Getter s = (Getter) a[0];
          Getter n = (Getter) a[1];
          return c ->
              Instant.ofEpochSecond(lng(s.get(c), "Unix"), n == null ? 0 : lng(n.get(c), "Unix"));
        },
        p("seconds", K.ANY),
        opt("nanoseconds", K.ANY));
    conv(
        "Duration",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            String s = str(t.get(c), "Duration");
            Duration d = Values.parseGoDuration(s);
            if (d == null) {
              throw new OttlRuntimeException("Duration: invalid duration \"" + s + "\"");
            }
            return d;
          };
        },
        p("duration", K.ANY));
    conv(
        "Nanoseconds",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> duration(t.get(c), "Nanoseconds").toNanos();
        },
        p("duration", K.ANY));
    conv(
        "Milliseconds",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> duration(t.get(c), "Milliseconds").toMillis();
        },
        p("duration", K.ANY));
    conv(
        "Seconds",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> duration(t.get(c), "Seconds").toNanos() / 1e9;
        },
        p("duration", K.ANY));

    conv(
        "TraceID",
        (a, cols, col) -> {
          Bytes b = (Bytes) a[0];
          if (b.length() != 16) {
            throw new CompileError(cols[0], "TraceID: expected 16 bytes, got " + b.length());
          }
          return c -> b;
        },
        p("bytes", K.BYTES_LIT));
    conv(
        "SpanID",
        (a, cols, col) -> {
          Bytes b = (Bytes) a[0];
          if (b.length() != 8) {
            throw new CompileError(cols[0], "SpanID: expected 8 bytes, got " + b.length());
          }
          return c -> b;
        },
        p("bytes", K.BYTES_LIT));

    conv(
        "Hex",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v instanceof Bytes b) {
              return b.hex();
            } else if (v instanceof String s) {
              return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8)).hex();
            } else if (v instanceof Long l) {
              return String.format("%016x", l);
            } else if (v instanceof Double d) {
              return String.format("%016x", Double.doubleToRawLongBits(d));
            } else if (v instanceof Boolean b) {
              return b ? "01" : "00";
            }
            return null;
          };
        },
        p("value", K.ANY));

    conv(
        "Format",
        (a, cols, col) -> {
          String format = (String) a[0];
          Getter args = (Getter) a[1];
          return c -> GoFormat.sprintf(format, (List<?>) args.get(c));
        },
        p("format", K.STR_LIT),
        p("vals", K.LIST));

    conv(
        "HasPrefix",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String pre = (String) a[1];
          return c -> str(t.get(c), "HasPrefix").startsWith(pre);
        },
        p("value", K.ANY),
        p("prefix", K.STR_LIT));
    conv(
        "HasSuffix",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String suf = (String) a[1];
          return c -> str(t.get(c), "HasSuffix").endsWith(suf);
        },
        p("value", K.ANY),
        p("suffix", K.STR_LIT));

    conv(
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
              if (Values.compare(o, x, Values.CompareOp.EQ)) {
                return true;
              }
            }
            return false;
          };
        },
        p("target", K.ANY),
        p("item", K.ANY));

    conv(
        "Keys",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> new ArrayList<Object>(mapCopy(t.get(c), "Keys").keySet());
        },
        p("target", K.ANY));

    conv(
        "IsRootSpan",
        (a, cols, col) ->
            c -> {
              com.google.protobuf.ByteString p = c.span.getParentSpanId();
              return p.size() == 8
                  && p.equals(com.google.protobuf.ByteString.copyFrom(new byte[8]));
            });

    conv(
        "HasAttrKeyOnDatapoint",
        (a, cols, col) -> {
          String key = (String) a[0];
          return c -> {
            for (Object dp : dataPoints(c.metric)) {
              for (KeyValue kv : dpAttrs(dp)) {
                if (kv.getKey().equals(key)) {
                  return true;
                }
              }
            }
            return false;
          };
        },
        p("key", K.STR_LIT));

    conv(
        "HasAttrOnDatapoint",
        (a, cols, col) -> {
          String key = (String) a[0];
          String value = (String) a[1];
          return c -> {
            for (Object dp : dataPoints(c.metric)) {
              for (KeyValue kv : dpAttrs(dp)) {
                if (kv.getKey().equals(key)) {
                  AnyValue v = kv.getValue();
                  String s =
                      v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v.getStringValue() : "";
                  if (s.equals(value)) {
                    return true;
                  }
                }
              }
            }
            return false;
          };
        },
        p("key", K.STR_LIT),
        p("value", K.STR_LIT));
  }
}
