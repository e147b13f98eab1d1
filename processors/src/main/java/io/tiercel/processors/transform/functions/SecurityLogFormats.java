package io.tiercel.processors.transform.functions;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Common Event Format (ArcSight CEF) and the Log Event Extended Format (IBM LEEF 1.0 and 2.0)
 * as the collector's ParseCEF and ParseLEEF read them: parsing starts at the first {@code CEF:} or
 * {@code LEEF:} (so a syslog header before it is skipped), header fields and extension or attribute
 * pairs become a map of strings.
 */
final class SecurityLogFormats {
  /** A CEF extension key (letters, digits, underscore) at the start or after a space. */
  private static final Pattern CEF_KEY = Pattern.compile("(?:^| )([A-Za-z][A-Za-z0-9_]*)=");

  private SecurityLogFormats() {}

  static Map<String, Object> cef(String message) {
    int start = message.indexOf("CEF:");
    if (start < 0) {
      throw new OttlRuntimeException("invalid CEF message: 'CEF:' not found");
    }
    List<String> fields = cefHeader(message.substring(start));
    String version = fields.get(0).substring("CEF:".length());
    if (version.isEmpty()) {
      throw new OttlRuntimeException("invalid CEF message: missing version");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cef.version", version);
    String[] names = {
      "cef.device_vendor",
      "cef.device_product",
      "cef.device_version",
      "cef.device_event_class_id",
      "cef.name",
      "cef.severity"
    };
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], unescape(fields.get(i + 1), "|\\"));
    }
    Map<String, Object> ext = new LinkedHashMap<>();
    if (fields.size() == 8 && !fields.get(7).isEmpty()) {
      String e = fields.get(7);
      List<int[]> keys = new ArrayList<>();
      Matcher m = CEF_KEY.matcher(e);
      while (m.find()) {
        keys.add(new int[] {m.start(), m.start(1), m.end(1), m.end()});
      }
      for (int i = 0; i < keys.size(); i++) {
        int[] k = keys.get(i);
        int end = i + 1 < keys.size() ? keys.get(i + 1)[0] : e.length();
        String value = e.substring(k[3], end).replaceAll(" +$", "");
        ext.put(e.substring(k[1], k[2]), unescapeValue(value));
      }
    }
    out.put("cef.extensions", ext);
    return out;
  }

  /** The prefix and six header fields split at unescaped pipes, and the extension if any. */
  private static List<String> cefHeader(String message) {
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c == '\\' && i + 1 < message.length()) {
        char next = message.charAt(i + 1);
        if (next == '|' || next == '\\') {
          cur.append(c).append(next);
          i++;
          continue;
        }
      }
      if (c == '|') {
        fields.add(cur.toString());
        cur.setLength(0);
        if (fields.size() == 7) {
          fields.add(message.substring(i + 1));
          return fields;
        }
        continue;
      }
      cur.append(c);
    }
    fields.add(cur.toString());
    if (fields.size() < 7) {
      throw new OttlRuntimeException(
          "invalid CEF header: expected at least 7 pipe-delimited fields (CEF:Version, Device"
              + " Vendor, Device Product, Device Version, Device Event Class ID, Name, Severity),"
              + " got "
              + fields.size());
    }
    return fields;
  }

  /** Removes the backslash before any character of {@code escaped}. */
  private static String unescape(String s, String escaped) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && escaped.indexOf(s.charAt(i + 1)) >= 0) {
        b.append(s.charAt(++i));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** An extension value: {@code \\}, {@code \=}, {@code \n} and {@code \r} unescaped. */
  private static String unescapeValue(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
      if (c == '\\' && (next == '\\' || next == '=' || next == 'n' || next == 'r')) {
        b.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
        i++;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static Map<String, Object> leef(String message) {
    int start = message.indexOf("LEEF:");
    if (start < 0) {
      throw new OttlRuntimeException("invalid LEEF message: 'LEEF:' not found");
    }
    String leef = message.substring(start);
    int pipe = leef.indexOf('|');
    if (pipe < 0) {
      throw new OttlRuntimeException("invalid LEEF message: missing pipe delimiter in header");
    }
    String version = leef.substring("LEEF:".length(), pipe);
    if (!version.equals("1.0") && !version.equals("2.0")) {
      throw new OttlRuntimeException(
          "unsupported LEEF version: " + version + " (supported: 1.0, 2.0)");
    }
    boolean v2 = version.equals("2.0");
    String[] parts = leef.substring(pipe + 1).split("\\|", v2 ? 6 : 5);
    if (parts.length < 4) {
      throw new OttlRuntimeException(
          "invalid LEEF "
              + version
              + " header: expected at least 4 fields (vendor, product, version, eventID), got "
              + parts.length);
    }
    String delimiter = "\t";
    String attributes = "";
    if (!v2) {
      attributes = parts.length == 5 ? parts[4] : "";
    } else if (parts.length >= 5) {
      if (parts[4].contains("=")) {
        // no delimiter field: what stands there is the first attribute
        attributes = String.join("|", List.of(parts).subList(4, parts.length));
      } else {
        delimiter = delimiter(parts[4]);
        attributes = parts.length == 6 ? parts[5] : "";
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("leef.version", version);
    out.put("leef.vendor", parts[0]);
    out.put("leef.product.name", parts[1]);
    out.put("leef.product.version", parts[2]);
    out.put("leef.event.id", parts[3]);
    Map<String, Object> attrs = new LinkedHashMap<>();
    for (String pair : attributes.split(Pattern.quote(delimiter), -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        attrs.remove(pair.substring(0, eq)); // the last occurrence wins, in its own place
        attrs.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    out.put("leef.attributes", attrs);
    return out;
  }

  /** A LEEF 2.0 delimiter: one character, or 0x and the hex of one byte; empty means tab. */
  private static String delimiter(String spec) {
    if (spec.isEmpty()) {
      return "\t";
    }
    if (spec.startsWith("0x") || spec.startsWith("0X")) {
      String hex = spec.substring(2);
      byte[] decoded;
      try {
        decoded = HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        throw new OttlRuntimeException(
            "invalid LEEF 2.0 delimiter: invalid hex delimiter \"" + spec + "\"");
      }
      if (decoded.length != 1) {
        throw new OttlRuntimeException(
            "invalid LEEF 2.0 delimiter: hex delimiter must decode to a single byte, got "
                + decoded.length
                + " bytes");
      }
      return String.valueOf((char) (decoded[0] & 0xff));
    }
    if (spec.codePointCount(0, spec.length()) != 1) {
      throw new OttlRuntimeException(
          "invalid LEEF 2.0 delimiter: \""
              + spec
              + "\" is neither a single character nor a 0x-prefixed hex byte");
    }
    return spec;
  }
}
