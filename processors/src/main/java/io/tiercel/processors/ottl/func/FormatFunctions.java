package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.optional;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The converters between strings and structured values: Base64Encode, ParseKeyValue,
 * ToKeyValueString, ParseCSV and URL.
 */
final class FormatFunctions {
  private FormatFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "Base64Encode",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String variant = a[1] == null ? "base64" : (String) a[1];
          Base64.Encoder enc =
              switch (variant) {
                case "base64" -> Base64.getEncoder();
                case "base64-raw" -> Base64.getEncoder().withoutPadding();
                case "base64-url" -> Base64.getUrlEncoder();
                case "base64-raw-url" -> Base64.getUrlEncoder().withoutPadding();
                default ->
                    throw new CompileError(
                        cols[1],
                        "unsupported base64 variant \""
                            + variant
                            + "\": expected base64, base64-raw, base64-url or base64-raw-url");
              };
          return c ->
              enc.encodeToString(str(t.get(c), "Base64Encode").getBytes(StandardCharsets.UTF_8));
        },
        required("value", ParamKind.ANY),
        optional("variant", ParamKind.STR_LIT));
    registry.converter(
        "ParseKeyValue",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          String delim = a[1] == null || ((String) a[1]).isEmpty() ? "=" : (String) a[1];
          String pairDelim = a[2] == null || ((String) a[2]).isEmpty() ? " " : (String) a[2];
          if (pairDelim.equals(delim)) {
            throw new CompileError(
                cols[2] > 0 ? cols[2] : cols[1],
                "pair delimiter \""
                    + pairDelim
                    + "\" cannot be equal to delimiter \""
                    + delim
                    + "\"");
          }
          return c -> parseKeyValue(str(t.get(c), "ParseKeyValue"), delim, pairDelim);
        },
        required("target", ParamKind.ANY),
        optional("delimiter", ParamKind.STR_LIT),
        optional("pair_delimiter", ParamKind.STR_LIT));
    registry.converter(
        "ToKeyValueString",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          if ("".equals(a[1])) {
            throw new CompileError(cols[1], "delimiter cannot be set to an empty string");
          }
          if ("".equals(a[2])) {
            throw new CompileError(cols[2], "pair delimiter cannot be set to an empty string");
          }
          String delim = a[1] == null ? "=" : (String) a[1];
          String pairDelim = a[2] == null ? " " : (String) a[2];
          if (pairDelim.equals(delim)) {
            throw new CompileError(
                cols[2] > 0 ? cols[2] : cols[1],
                "pair delimiter \""
                    + pairDelim
                    + "\" cannot be equal to delimiter \""
                    + delim
                    + "\"");
          }
          boolean sort = Boolean.TRUE.equals(a[3]);
          return c -> {
            Object v = t.get(c);
            if (!(v instanceof Map<?, ?> m)) {
              throw new OttlRuntimeException(
                  "ToKeyValueString: expected a map but got " + Values.typeName(v));
            }
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            if (sort) {
              entries.sort(
                  (x, y) -> String.valueOf(x.getKey()).compareTo(String.valueOf(y.getKey())));
            }
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<?, ?> e : entries) {
              if (sb.length() > 0) {
                sb.append(pairDelim);
              }
              sb.append(quoteKv(String.valueOf(e.getKey()), delim, pairDelim))
                  .append(delim)
                  .append(quoteKv(Values.asString(e.getValue()), delim, pairDelim));
            }
            return sb.toString();
          };
        },
        required("target", ParamKind.ANY),
        optional("delimiter", ParamKind.STR_LIT),
        optional("pair_delimiter", ParamKind.STR_LIT),
        optional("sort_output", ParamKind.BOOL_LIT));
    registry.converter(
        "ParseCSV",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          Getter headers = (Getter) a[1];
          String delim = a[2] == null ? "," : (String) a[2];
          String headerDelim = a[3] == null ? delim : (String) a[3];
          String mode = a[4] == null ? "strict" : (String) a[4];
          if (delim.codePointCount(0, delim.length()) != 1) {
            throw new CompileError(cols[2], "invalid delimiter: must be a single character");
          }
          if (headerDelim.isEmpty()) {
            throw new CompileError(cols[3], "invalid headerDelimiter: must not be empty");
          }
          if (!List.of("strict", "lazyQuotes", "ignoreQuotes").contains(mode)) {
            throw new CompileError(
                cols[4],
                "unknown mode \"" + mode + "\": expected strict, lazyQuotes or ignoreQuotes");
          }
          return c -> {
            String row = stripNewlines(str(t.get(c), "ParseCSV"));
            List<Object> names =
                StringFunctions.split(str(headers.get(c), "ParseCSV"), headerDelim);
            List<String> fields =
                mode.equals("ignoreQuotes")
                    ? StringFunctions.split(row, delim).stream().map(String.class::cast).toList()
                    : Csv.row(row, delim.charAt(0), mode.equals("lazyQuotes"));
            if (fields.size() != names.size()) {
              throw new OttlRuntimeException(
                  "wrong number of fields: expected " + names.size() + ", found " + fields.size());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
              out.put((String) names.get(i), fields.get(i));
            }
            return out;
          };
        },
        required("target", ParamKind.ANY),
        required("headers", ParamKind.ANY),
        optional("delimiter", ParamKind.STR_LIT),
        optional("headerDelimiter", ParamKind.STR_LIT),
        optional("mode", ParamKind.STR_LIT));
    registry.converter(
        "URL",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            String s = str(t.get(c), "URL");
            if (s.isEmpty()) {
              throw new OttlRuntimeException("url cannot be empty");
            }
            return Urls.semconv(s);
          };
        },
        required("url_string", ParamKind.ANY));
  }

  private static String stripNewlines(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && (s.charAt(a) == '\n' || s.charAt(a) == '\r')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == '\n' || s.charAt(b - 1) == '\r')) {
      b--;
    }
    return s.substring(a, b);
  }

  /** The collector's key=value parsing: pairs split outside quotes, quotes dropped, trimmed. */
  static Map<String, Object> parseKeyValue(String source, String delim, String pairDelim) {
    if (source.isEmpty()) {
      throw new OttlRuntimeException("cannot parse from empty target");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String pair : splitQuoted(source, pairDelim)) {
      int i = pair.indexOf(delim);
      if (i < 0) {
        throw new OttlRuntimeException("cannot split \"" + pair + "\" into 2 items, got 1 item(s)");
      }
      out.put(pair.substring(0, i).strip(), pair.substring(i + delim.length()).strip());
    }
    return out;
  }

  /**
   * Splits on {@code delim} outside single or double quotes, dropping the quotes and empty parts.
   */
  static List<String> splitQuoted(String input, String delim) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < input.length(); i++) {
      if (quote == 0 && input.startsWith(delim, i)) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
        i += delim.length() - 1;
        continue;
      }
      char ch = input.charAt(i);
      if (quote == 0 && (ch == '"' || ch == '\'')) {
        quote = ch;
        continue;
      }
      if (ch == quote) {
        quote = 0;
        continue;
      }
      cur.append(ch);
    }
    if (quote != 0) {
      throw new OttlRuntimeException(
          "splitting source \""
              + input
              + "\" into pairs failed: never reached the end of a quoted value");
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  private static String quoteKv(String s, String delim, String pairDelim) {
    s = s.replace("\"", "\\\"");
    if (s.contains(pairDelim) || s.contains(delim)) {
      s = "\"" + s + "\"";
    }
    return s;
  }
}
