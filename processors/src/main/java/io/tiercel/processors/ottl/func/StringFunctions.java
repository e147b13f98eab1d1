package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.lng;
import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.CompareOp;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Operators;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The string converters: Concat, Split, Substring, case conversions, Trim, TrimPrefix, TrimSuffix,
 * HasPrefix, HasSuffix, Index, Format and IsMatch.
 */
final class StringFunctions {
  private StringFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
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
        required("vals", ParamKind.LIST),
        required("delimiter", ParamKind.STR_LIT));
    registry.converter(
        "Split",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String d = (String) a[1];
          return c -> split(str(t.get(c), "Split"), d);
        },
        required("target", ParamKind.ANY),
        required("delimiter", ParamKind.STR_LIT));
    registry.converter(
        "Substring",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter st = (Getter) a[1];
          Getter ln = (Getter) a[2];
          boolean utf8Safe = Boolean.TRUE.equals(a[3]);
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
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (start + length > b.length) {
              throw new OttlRuntimeException(
                  "Substring: start "
                      + start
                      + " + length "
                      + length
                      + " exceeds the length "
                      + b.length
                      + " of the target");
            }
            int from = (int) start;
            int to = (int) (start + length);
            if (utf8Safe) {
              while (from < b.length && (b[from] & 0xc0) == 0x80) {
                from++;
              }
              while (to > from && to < b.length && (b[to] & 0xc0) == 0x80) {
                to--;
              }
            }
            return new String(b, from, Math.max(0, to - from), StandardCharsets.UTF_8);
          };
        },
        required("target", ParamKind.ANY),
        required("start", ParamKind.ANY),
        required("length", ParamKind.ANY),
        optional("utf8_safe", ParamKind.BOOL_LIT));
    registry.converter(
        "ToLowerCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> str(t.get(c), "ToLowerCase").toLowerCase(Locale.ROOT);
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "ToUpperCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> str(t.get(c), "ToUpperCase").toUpperCase(Locale.ROOT);
        },
        required("target", ParamKind.ANY));
    registry.converter(
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
              case "lower" -> s.toLowerCase(Locale.ROOT);
              case "upper" -> s.toUpperCase(Locale.ROOT);
              case "snake" -> StringFunctions.snake(s);
              default -> StringFunctions.camel(s);
            };
          };
        },
        required("target", ParamKind.ANY),
        required("toCase", ParamKind.STR_LIT));
    registry.converter(
        "ToSnakeCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> StringFunctions.snake(str(t.get(c), "ToSnakeCase"));
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "ToCamelCase",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> StringFunctions.camel(str(t.get(c), "ToCamelCase"));
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "Trim",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String cut = a[1] == null ? " " : (String) a[1];
          return c -> StringFunctions.trim(str(t.get(c), "Trim"), cut);
        },
        required("target", ParamKind.ANY),
        optional("replacement", ParamKind.STR_LIT));
    registry.converter(
        "TrimPrefix",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String pre = (String) a[1];
          return c -> {
            String s = str(t.get(c), "TrimPrefix");
            return s.startsWith(pre) ? s.substring(pre.length()) : s;
          };
        },
        required("value", ParamKind.ANY),
        required("prefix", ParamKind.STR_LIT));
    registry.converter(
        "TrimSuffix",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String suf = (String) a[1];
          return c -> {
            String s = str(t.get(c), "TrimSuffix");
            return s.endsWith(suf) ? s.substring(0, s.length() - suf.length()) : s;
          };
        },
        required("value", ParamKind.ANY),
        required("suffix", ParamKind.STR_LIT));
    registry.converter(
        "HasPrefix",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String pre = (String) a[1];
          return c -> str(t.get(c), "HasPrefix").startsWith(pre);
        },
        required("value", ParamKind.ANY),
        required("prefix", ParamKind.STR_LIT));
    registry.converter(
        "HasSuffix",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String suf = (String) a[1];
          return c -> str(t.get(c), "HasSuffix").endsWith(suf);
        },
        required("value", ParamKind.ANY),
        required("suffix", ParamKind.STR_LIT));
    registry.converter(
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
                if (Operators.compare(l.get(i), value, CompareOp.EQ)) {
                  return (long) i;
                }
              }
              return -1L;
            }
            throw new OttlRuntimeException(
                "Index: expected a string or a slice but got " + Values.typeName(target));
          };
        },
        required("target", ParamKind.ANY),
        required("value", ParamKind.ANY));
    registry.converter(
        "Format",
        (a, cols, col) -> {
          String format = (String) a[0];
          Getter args = (Getter) a[1];
          return c -> GoFormat.sprintf(format, (List<?>) args.get(c));
        },
        required("format", ParamKind.STR_LIT),
        required("vals", ParamKind.LIST));
    registry.converter(
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
        required("target", ParamKind.ANY),
        required("pattern", ParamKind.STR_LIT));
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

  static String snake(String s) {
    StringBuilder sb = new StringBuilder();
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '-' || c == '.' || c == '_') {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
          sb.append('_');
        }
        continue;
      }
      if (Character.isUpperCase(c)) {
        boolean prevLower =
            i > 0 && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1)));
        boolean acronymEnd =
            i > 0
                && Character.isUpperCase(s.charAt(i - 1))
                && i + 1 < n
                && Character.isLowerCase(s.charAt(i + 1));
        if ((prevLower || acronymEnd) && sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static String camel(String s) {
    StringBuilder sb = new StringBuilder();
    boolean up = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '-' || c == '.' || c == '_') {
        up = true;
        continue;
      }
      sb.append(up ? Character.toUpperCase(c) : c);
      up = false;
    }
    return sb.toString();
  }

  static String trim(String s, String cutset) {
    int a = 0;
    int b = s.length();
    while (a < b && cutset.indexOf(s.charAt(a)) >= 0) {
      a++;
    }
    while (b > a && cutset.indexOf(s.charAt(b - 1)) >= 0) {
      b--;
    }
    return s.substring(a, b);
  }
}
