package io.tiercel.processors.ottl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Go (RE2) regex and glob syntax mapped to java.util.regex, compiled once at statement compile time. */
final class Regexes {
  private Regexes() {}

  /** Compiles a Go regex; throws {@link CompileError} at {@code col} when invalid. */
  static Pattern compile(String goRegex, int col) {
    String j = goRegex.replace("(?P<", "(?<")
        .replace("[:alpha:]", "\\p{Alpha}").replace("[:digit:]", "\\p{Digit}")
        .replace("[:alnum:]", "\\p{Alnum}").replace("[:space:]", "\\s")
        .replace("[:upper:]", "\\p{Upper}").replace("[:lower:]", "\\p{Lower}")
        .replace("[:punct:]", "\\p{Punct}").replace("[:xdigit:]", "\\p{XDigit}")
        .replace("[:word:]", "\\w");
    try {
      return Pattern.compile(j);
    } catch (PatternSyntaxException e) {
      throw new CompileError(col, "invalid regex pattern \"" + goRegex + "\": " + e.getDescription()
          + " near index " + e.getIndex());
    }
  }

  /** Compiles a Go {@code filepath.Match} glob ({@code *} and {@code ?} do not match {@code /}). */
  static Pattern glob(String glob, int col) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = glob.length();
    while (i < n) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> sb.append("[^/]*");
        case '?' -> sb.append("[^/]");
        case '\\' -> {
          if (i + 1 >= n) {
            throw new CompileError(col, "invalid glob pattern \"" + glob + "\": trailing backslash");
          }
          sb.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            throw new CompileError(col, "invalid glob pattern \"" + glob + "\": unterminated character class");
          }
          String cls = glob.substring(i + 1, end);
          boolean neg = cls.startsWith("^") || cls.startsWith("!");
          if (neg) {
            cls = cls.substring(1);
          }
          sb.append('[').append(neg ? "^" : "").append(cls.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = end;
        }
        default -> sb.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    return Pattern.compile(sb.toString());
  }

  /** Go's {@code regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}. */
  static String expand(String template, Matcher m) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= n) {
        sb.append(c);
        i++;
        continue;
      }
      char d = template.charAt(i + 1);
      if (d == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      if (d == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        i = close + 1;
      } else {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        if (j == i + 1) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 1, j);
        i = j;
      }
      String g = null;
      try {
        if (name.chars().allMatch(Character::isDigit)) {
          int idx = Integer.parseInt(name);
          g = idx <= m.groupCount() ? m.group(idx) : null;
        } else {
          g = m.group(name);
        }
      } catch (IllegalArgumentException e) {
        g = null;
      }
      if (g != null) {
        sb.append(g);
      }
    }
    return sb.toString();
  }
}
