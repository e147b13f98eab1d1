package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.mapCopy;
import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replacing editors: replace_pattern, replace_all_patterns (regexes), replace_match and
 * replace_all_matches (globs), with their optional converter and format applied to each
 * replacement.
 */
final class ReplaceEditors {
  private ReplaceEditors() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.editor(
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
        required("target", ParamKind.PATH),
        required("regex", ParamKind.STR_LIT),
        required("replacement", ParamKind.ANY),
        optional("function", ParamKind.FUNC),
        optional("replacementFormat", ParamKind.STR_LIT));
    registry.editor(
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
        required("target", ParamKind.PATH),
        required("mode", ParamKind.STR_LIT),
        required("regex", ParamKind.STR_LIT),
        required("replacement", ParamKind.ANY),
        optional("function", ParamKind.FUNC),
        optional("replacementFormat", ParamKind.STR_LIT));
    registry.editor(
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
        required("target", ParamKind.PATH),
        required("pattern", ParamKind.STR_LIT),
        required("replacement", ParamKind.ANY),
        optional("function", ParamKind.FUNC),
        optional("replacementFormat", ParamKind.STR_LIT));
    registry.editor(
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
        required("target", ParamKind.PATH),
        required("pattern", ParamKind.STR_LIT),
        required("replacement", ParamKind.ANY),
        optional("function", ParamKind.FUNC),
        optional("replacementFormat", ParamKind.STR_LIT));
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
  private static String applyFn(
      CurrentItem c, Object fn, String format, String value, String name) {
    String out = value;
    if (fn != null) {
      Object r = ((BiFunction<CurrentItem, Object, Object>) fn).apply(c, value);
      out = str(r, name);
    }
    return format == null ? out : format.replace("%s", out);
  }

  static String replaceAll(
      Regexes.Re re, String s, String repl, Object fn, String format, CurrentItem c, String name) {
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
}
