package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.lng;
import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;

/**
 * The parsing converters: ParseJSON, ParseInt, Base64Decode, Decode, ExtractPatterns,
 * ExtractGrokPatterns, ParseSeverity and IsValidLuhn.
 */
final class ParsingFunctions {
  private static final String NO_NAMED_GROUP =
      "at least 1 named capture group must be supplied in the given regex";

  private ParsingFunctions() {}

  /**
   * ExtractGrokPatterns' patternDefinitions, NAME=definition each, checked as the collector does.
   */
  static Map<String, String> grokDefinitions(@Nullable Object list, int col) {
    Map<String, String> out = new LinkedHashMap<>();
    if (list == null) {
      return out;
    }
    @SuppressWarnings("unchecked")
    List<String> defs = (List<String>) list;
    for (int i = 0; i < defs.size(); i++) {
      String def = defs.get(i);
      int eq = def.indexOf('=');
      if (eq < 0) {
        String shown = def.length() > 20 ? def.substring(0, 17) + "..." : def;
        throw new CompileError(
            col,
            "pattern \""
                + shown
                + "\" supplied to ExtractGrokPatterns at index "
                + i
                + " has incorrect format, expecting PATTERNNAME=pattern definition");
      }
      String name = def.substring(0, eq);
      if (name.indexOf(':') >= 0) {
        throw new CompileError(col, "pattern ID \"" + name + "\" should not contain ':'");
      }
      out.put(name, def.substring(eq + 1));
    }
    return Map.copyOf(out);
  }

  private static Grok grok(String pattern, boolean namedOnly, Map<String, String> custom, int col) {
    Grok grok;
    try {
      grok = Grok.compile(pattern, namedOnly, custom);
    } catch (Grok.GrokException e) {
      throw new CompileError(col, invalidGrok(pattern, e));
    }
    if (namedOnly && !grok.hasNamedGroups()) {
      throw new CompileError(col, NO_NAMED_GROUP);
    }
    return grok;
  }

  private static String invalidGrok(String pattern, Grok.GrokException e) {
    return "the regex pattern supplied to ExtractGrokPatterns '\""
        + pattern
        + "\"' is not a valid pattern: "
        + e.getMessage();
  }

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "ParseJSON",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Json.parse(str(t.get(c), "ParseJSON"));
        },
        required("target", ParamKind.ANY));
    registry.converter(
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
            return ParsingFunctions.parseInt(str(t.get(c), "ParseInt"), base);
          };
        },
        required("target", ParamKind.ANY),
        required("base", ParamKind.ANY));
    registry.converter(
        "Base64Decode",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> ParsingFunctions.decode(str(t.get(c), "Base64Decode"), "base64");
        },
        required("value", ParamKind.ANY));
    registry.converter(
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
          return c -> ParsingFunctions.decode(t.get(c), enc);
        },
        required("value", ParamKind.ANY),
        required("encoding", ParamKind.STR_LIT));
    registry.converter(
        "ExtractPatterns",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Regexes.Re re = Regexes.compileNamed((String) a[1], cols[1]);
          if (re.names().isEmpty()) {
            throw new CompileError(cols[1], NO_NAMED_GROUP);
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
        required("target", ParamKind.ANY),
        required("pattern", ParamKind.STR_LIT));
    registry.converter(
        "ExtractGrokPatterns",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          boolean namedOnly = Boolean.TRUE.equals(a[2]);
          Map<String, String> custom = ParsingFunctions.grokDefinitions(a[3], cols[3]);
          if (a[1] instanceof String literal) {
            Grok grok = ParsingFunctions.grok(literal, namedOnly, custom, cols[1]);
            return c -> grok.parse(str(t.get(c), "ExtractGrokPatterns"));
          }
          Getter p = (Getter) a[1];
          return c -> {
            String pattern = str(p.get(c), "ExtractGrokPatterns");
            Grok grok;
            try {
              grok = Grok.compile(pattern, namedOnly, custom);
            } catch (Grok.GrokException e) {
              throw new OttlRuntimeException(ParsingFunctions.invalidGrok(pattern, e));
            }
            if (namedOnly && !grok.hasNamedGroups()) {
              throw new OttlRuntimeException(NO_NAMED_GROUP);
            }
            return grok.parse(str(t.get(c), "ExtractGrokPatterns"));
          };
        },
        required("target", ParamKind.ANY),
        required("pattern", ParamKind.STR_LIKE),
        optional("namedCapturesOnly", ParamKind.BOOL_LIT),
        optional("patternDefinitions", ParamKind.STR_LIST_LIT));
    registry.converter(
        "ParseSeverity",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter mapping = (Getter) a[1];
          return c -> {
            Object m = mapping.get(c);
            if (!(m instanceof Map<?, ?> levels)) {
              throw new OttlRuntimeException(
                  "cannot get severity mapping: expected a map but got " + Values.typeName(m));
            }
            return Severity.level(Values.norm(t.get(c)), levels);
          };
        },
        required("target", ParamKind.ANY),
        required("severityMapping", ParamKind.ANY));
    registry.converter(
        "IsValidLuhn",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            Object v = Values.norm(t.get(c));
            if (v instanceof Long l) {
              return ParsingFunctions.luhn(Long.toString(l));
            }
            return ParsingFunctions.luhn(str(v, "IsValidLuhn"));
          };
        },
        required("value", ParamKind.ANY));
  }

  static long parseInt(String s, long base) {
    String t = s;
    boolean neg = false;
    if (t.startsWith("+") || t.startsWith("-")) {
      neg = t.startsWith("-");
      t = t.substring(1);
    }
    int radix = (int) base;
    if (base == 0) {
      t = t.replace("_", "");
      String lower = t.toLowerCase(Locale.ROOT);
      if (lower.startsWith("0x")) {
        radix = 16;
        t = t.substring(2);
      } else if (lower.startsWith("0b")) {
        radix = 2;
        t = t.substring(2);
      } else if (lower.startsWith("0o")) {
        radix = 8;
        t = t.substring(2);
      } else if (t.length() > 1 && t.startsWith("0")) {
        radix = 8;
        t = t.substring(1);
      } else {
        radix = 10;
      }
    }
    if (radix < 2 || radix > 36) {
      throw new OttlRuntimeException(
          "strconv.ParseInt: parsing \"" + s + "\": invalid base " + base);
    }
    try {
      if (t.isEmpty() || t.startsWith("+") || t.startsWith("-")) {
        throw new NumberFormatException();
      }
      long v = Long.parseLong((neg ? "-" : "") + t, radix);
      return v;
    } catch (NumberFormatException e) {
      throw new OttlRuntimeException("strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
    }
  }

  static String decode(Object v, String encoding) {
    byte[] in = v instanceof Bytes b ? b.raw() : str(v, "Decode").getBytes(StandardCharsets.UTF_8);
    try {
      return switch (encoding) {
        case "base64" -> new String(Base64.getDecoder().decode(in), StandardCharsets.UTF_8);
        case "base64-raw" -> new String(Base64.getDecoder().decode(in), StandardCharsets.UTF_8);
        case "base64-url" -> new String(Base64.getUrlDecoder().decode(in), StandardCharsets.UTF_8);
        case "base64-raw-url" ->
            new String(Base64.getUrlDecoder().decode(in), StandardCharsets.UTF_8);
        default -> new String(in, Charset.forName(encoding));
      };
    } catch (IllegalArgumentException e) {
      throw new OttlRuntimeException(
          "Decode: could not decode using " + encoding + ": " + e.getMessage());
    }
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new OttlRuntimeException("IsValidLuhn: invalid value, must contain only digits");
      }
      int d = c - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return digits.length() > 0 && sum % 10 == 0;
  }
}
