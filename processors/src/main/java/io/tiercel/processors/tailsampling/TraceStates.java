package io.tiercel.processors.tailsampling;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a W3C {@code tracestate} header (https://www.w3.org/TR/trace-context/#tracestate-header)
 * the way the OpenTelemetry Go API's {@code ParseTraceState} does, which the collector's {@code
 * trace_state} policy uses: list members separated by commas, optional spaces and tabs around them,
 * empty members skipped (blank ones are invalid); at most 32 members; keys and values in the
 * specification's grammar; a duplicate key or any invalid member makes the whole header invalid (no
 * value is found).
 */
final class TraceStates {
  private static final int MAX_MEMBERS = 32;
  private static final String SIMPLE_KEY = "[a-z][_0-9a-z\\-*/]{0,255}";
  private static final String TENANT_KEY =
      "[a-z0-9][_0-9a-z\\-*/]{0,240}@[a-z][_0-9a-z\\-*/]{0,13}";
  private static final Pattern KEY = Pattern.compile(SIMPLE_KEY + "|" + TENANT_KEY);
  private static final Pattern VALUE =
      Pattern.compile(
          "[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}" + "[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");

  private TraceStates() {}

  /**
   * The value of {@code key} in {@code header}, or null when absent or when the header is not
   * valid.
   */
  static String get(String header, String key) {
    if (header == null || header.isEmpty()) {
      return null;
    }
    String found = null;
    Set<String> keys = new HashSet<>();
    int members = 0;
    for (String raw : header.split(",", -1)) {
      if (raw.isEmpty()) {
        continue; // as the Go API: an empty member is skipped, a blank one (only spaces) is invalid
      }
      String member = trimOws(raw);
      if (++members > MAX_MEMBERS) {
        return null;
      }
      int eq = member.indexOf('=');
      if (eq <= 0) {
        return null;
      }
      String k = member.substring(0, eq);
      String v = member.substring(eq + 1);
      if (!KEY.matcher(k).matches() || !VALUE.matcher(v).matches() || !keys.add(k)) {
        return null;
      }
      if (k.equals(key)) {
        found = v;
      }
    }
    return found;
  }

  private static String trimOws(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
      b--;
    }
    return s.substring(a, b);
  }
}
