package io.tiercel.core.util;

import java.util.Locale;

/**
 * JSON string escaping (RFC 8259) for hand-written JSON text: log lines, status bodies.
 * Thread-safe.
 */
public final class JsonText {
  private JsonText() {}

  /**
   * Appends {@code s} escaped for use inside a JSON string (without the quotes): {@code "} and
   * {@code \}, control characters ({@code \n}, {@code \r}, {@code \t}, else {@code \}{@code
   * uXXXX}), U+2028/U+2029 as escapes (JavaScript line terminators), and a lone surrogate as U+FFFD
   * so that the text encodes to valid UTF-8.
   */
  public static StringBuilder escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append('\uFFFD');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb;
  }

  /** Appends {@code s} as a quoted JSON string. */
  public static StringBuilder quote(StringBuilder sb, String s) {
    return escape(sb.append('"'), s).append('"');
  }
}
