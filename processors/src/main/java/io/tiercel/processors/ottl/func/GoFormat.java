package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.Values;
import java.util.List;

/**
 * The subset of Go's fmt.Sprintf that Format needs: %s %v %d %f %e %g %x %X %q %t %%, flags, width,
 * precision.
 */
final class GoFormat {
  private GoFormat() {}

  static String sprintf(String f, List<?> args) {
    StringBuilder sb = new StringBuilder();
    int argi = 0;
    int i = 0;
    while (i < f.length()) {
      char c = f.charAt(i++);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      int st = i;
      while (i < f.length() && "+-# 0".indexOf(f.charAt(i)) >= 0) {
        i++;
      }
      while (i < f.length() && (Character.isDigit(f.charAt(i)) || f.charAt(i) == '.')) {
        i++;
      }
      if (i >= f.length()) {
        sb.append("%!(NOVERB)");
        break;
      }
      String spec = f.substring(st, i);
      char verb = f.charAt(i++);
      if (verb == '%') {
        sb.append('%');
        continue;
      }
      if (argi >= args.size()) {
        sb.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object v = Values.norm(args.get(argi++));
      sb.append(one(spec, verb, v));
    }
    if (argi < args.size()) {
      sb.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        if (k > argi) {
          sb.append(", ");
        }
        Object v = Values.norm(args.get(k));
        sb.append(goType(v)).append('=').append(plain(v));
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private static String goType(Object v) {
    return v instanceof Long
        ? "int64"
        : v instanceof Double
            ? "float64"
            : v instanceof String ? "string" : v instanceof Boolean ? "bool" : Values.typeName(v);
  }

  private static String plain(Object v) {
    return v == null ? "<nil>" : Values.asString(v);
  }

  private static String bad(char verb, Object v) {
    return "%!" + verb + "(" + goType(v) + "=" + plain(v) + ")";
  }

  private static String one(String spec, char verb, Object v) {
    try {
      switch (verb) {
        case 'v', 's' -> {
          return String.format("%" + spec + "s", plain(v));
        }
        case 'd' -> {
          if (v instanceof Long l) {
            return String.format("%" + spec + "d", l);
          }
          return bad(verb, v);
        }
        case 'f', 'F', 'e', 'g' -> {
          if (v instanceof Double d) {
            String sp = spec.contains(".") || verb == 'g' ? spec : spec + ".6";
            return String.format("%" + sp + (verb == 'F' ? 'f' : verb), d);
          }
          return bad(verb, v);
        }
        case 'x', 'X' -> {
          if (v instanceof Long l) {
            return String.format("%" + spec + verb, l);
          }
          if (v instanceof String s) {
            String hex = Bytes.wrap(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
            return verb == 'X' ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
          }
          if (v instanceof Bytes b) {
            return verb == 'X' ? b.hex().toUpperCase(java.util.Locale.ROOT) : b.hex();
          }
          return bad(verb, v);
        }
        case 'q' -> {
          StringBuilder sb = new StringBuilder();
          Values.quote(sb, plain(v));
          return sb.toString();
        }
        case 't' -> {
          return v instanceof Boolean ? String.valueOf(v) : bad(verb, v);
        }
        default -> {
          return bad(verb, v);
        }
      }
    } catch (java.util.IllegalFormatException e) {
      return bad(verb, v);
    }
  }
}
