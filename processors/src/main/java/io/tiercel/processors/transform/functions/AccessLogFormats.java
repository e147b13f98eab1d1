package io.tiercel.processors.transform.functions;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP access-log formats as the collector's ParseCLF and ParseELF read them: the Common Log Format
 * (and NCSA Combined) line, and a W3C Extended Log Format block (directives and data lines).
 */
final class AccessLogFormats {
  /** A quoted field, backslash escapes allowed inside (Apache's mod_log_config). */
  private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";

  private static final String CLF_HEAD = "^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] " + QUOTED;
  private static final Pattern CLF = Pattern.compile(CLF_HEAD + " (\\S+) (\\S+)$");
  private static final Pattern COMBINED =
      Pattern.compile(CLF_HEAD + " (\\S+) (\\S+) " + QUOTED + " " + QUOTED + "$");

  private AccessLogFormats() {}

  static Map<String, Object> clf(String message, boolean combined) {
    Matcher m = (combined ? COMBINED : CLF).matcher(message.strip());
    if (!m.matches()) {
      throw new OttlRuntimeException(
          "invalid CLF message: does not match expected \""
              + (combined ? "combined" : "clf")
              + "\" format");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clf.remote_host", m.group(1));
    out.put("clf.rfc931", m.group(2));
    out.put("clf.auth_user", m.group(3));
    out.put("clf.timestamp", m.group(4));
    String request = unescape(m.group(5));
    out.put("clf.request", request);
    String[] parts = request.split(" ", 3);
    if (parts.length == 3) {
      out.put("clf.method", parts[0]);
      out.put("clf.request_uri", parts[1]);
      out.put("clf.protocol", parts[2]);
    }
    out.put("clf.status", integer(m.group(6), "invalid status code"));
    if (!m.group(7).equals("-")) {
      out.put("clf.bytes", integer(m.group(7), "invalid bytes value"));
    }
    if (combined) {
      out.put("clf.referer", unescape(m.group(8)));
      out.put("clf.user_agent", unescape(m.group(9)));
    }
    return out;
  }

  private static long integer(String s, String what) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new OttlRuntimeException(
          what + " \"" + s + "\": strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
    }
  }

  /**
   * Reverses Apache's escaping of quoted fields: {@code \"}, {@code \\}, C escapes such as {@code
   * \n}, and {@code \xhh} bytes; anything else is kept as written.
   */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      byte c = in[i];
      if (c != '\\' || i + 1 == in.length) {
        out.write(c);
        continue;
      }
      byte next = in[++i];
      switch (next) {
        case '\\', '"' -> out.write(next);
        case 'n' -> out.write('\n');
        case 't' -> out.write('\t');
        case 'r' -> out.write('\r');
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'v' -> out.write(0x0b);
        case 'x' -> {
          int hex = i + 2 < in.length ? hexByte(in[i + 1], in[i + 2]) : -1;
          if (hex >= 0) {
            out.write(hex);
            i += 2;
          } else {
            out.write('\\');
            out.write('x');
          }
        }
        default -> {
          out.write('\\');
          out.write(next);
        }
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hexByte(byte hi, byte lo) {
    int h = Character.digit(hi, 16);
    int l = Character.digit(lo, 16);
    return h < 0 || l < 0 ? -1 : h * 16 + l;
  }

  static Map<String, Object> elf(String input) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Object> entries = new ArrayList<>();
    out.put("elf.entries", entries);
    boolean hasVersion = false;
    List<String> fields = List.of();
    for (String raw : input.split("\r\n|\r|\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String body = line.substring(1);
        int colon = body.indexOf(':');
        if (colon < 0) {
          String t = body.strip();
          if (t.length() >= 6 && t.substring(0, 6).equalsIgnoreCase("fields")) {
            throw new OttlRuntimeException(
                "invalid ELF: malformed #Fields directive "
                    + quoted(line)
                    + ": directive "
                    + quoted(line)
                    + " has no colon separator");
          }
          continue; // other directives without a value are skipped
        }
        String key = body.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = body.substring(colon + 1).strip();
        switch (key) {
          case "version" -> {
            hasVersion = true;
            out.put("elf.version", value);
          }
          case "fields" -> fields = value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
          case "software" -> out.put("elf.software", value);
          case "date" -> out.put("elf.date", value);
          case "start-date" -> out.put("elf.start_date", value);
          case "end-date" -> out.put("elf.end_date", value);
          case "remark" -> out.put("elf.remark", value);
          default -> {}
        }
        continue;
      }
      if (fields.isEmpty()) {
        throw new OttlRuntimeException("invalid ELF: data entry found before #Fields directive");
      }
      List<String> values = dataLine(line);
      Map<String, Object> entry = new LinkedHashMap<>();
      for (int i = 0; i < fields.size(); i++) {
        // a short line's missing values read as "-", extra values are dropped
        entry.put(fields.get(i), i < values.size() ? values.get(i) : "-");
      }
      entries.add(entry);
    }
    if (!hasVersion) {
      throw new OttlRuntimeException("invalid ELF: missing #Version directive");
    }
    out.put("elf.fields", new ArrayList<Object>(fields));
    return out;
  }

  /** A data line's values: split at spaces and tabs, double quotes group ("" is a quote). */
  private static List<String> dataLine(String line) {
    List<String> values = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      if (line.charAt(i) != '"') {
        int start = i;
        while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
          i++;
        }
        values.add(line.substring(start, i));
        continue;
      }
      i++;
      StringBuilder sb = new StringBuilder();
      boolean closed = false;
      while (i < n) {
        char c = line.charAt(i);
        if (c != '"') {
          sb.append(c);
          i++;
        } else if (i + 1 < n && line.charAt(i + 1) == '"') {
          sb.append('"');
          i += 2;
        } else {
          i++;
          closed = true;
          break;
        }
      }
      if (!closed) {
        throw new OttlRuntimeException(
            "invalid ELF: unterminated quoted value in data line: " + quoted(line));
      }
      values.add(sb.toString());
    }
    return values;
  }

  private static String quoted(String s) {
    StringBuilder sb = new StringBuilder();
    Values.quote(sb, s);
    return sb.toString();
  }
}
