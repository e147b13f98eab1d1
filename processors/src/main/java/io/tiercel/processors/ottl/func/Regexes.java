package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Go (RE2) regex and glob syntax mapped to java.util.regex, compiled once at statement compile
 * time.
 */
final class Regexes {
  private static final Pattern REPEAT = Pattern.compile("\\{\\d+(?:,\\d*)?}");

  private Regexes() {}

  /**
   * A compiled regex, the group number of each named group (names may hold dots, as RE2 allows; a
   * name given twice keeps its last group) and the name of every capturing group in order (null
   * where unnamed).
   */
  record Re(Pattern pattern, Map<String, Integer> names, List<@Nullable String> groupNames) {}

  /** Compiles a Go regex; throws {@link CompileError} at {@code col} when invalid. */
  static Pattern compile(String goRegex, int col) {
    return compileNamed(goRegex, col).pattern();
  }

  /**
   * Compiles a Go regex: named groups ({@code (?P<name>...)} or {@code (?<name>...)}) become plain
   * groups whose numbers are kept by name, POSIX classes are mapped; throws {@link CompileError} at
   * {@code col} when invalid.
   */
  static Re compileNamed(String goRegex, int col) {
    StringBuilder out = new StringBuilder(goRegex.length());
    Map<String, Integer> names = new LinkedHashMap<>();
    List<@Nullable String> groupNames = new ArrayList<>();
    int group = 0;
    boolean inClass = false;
    int n = goRegex.length();
    for (int i = 0; i < n; i++) {
      char c = goRegex.charAt(i);
      if (c == '\\') {
        out.append(c);
        if (i + 1 < n) {
          out.append(goRegex.charAt(++i));
        }
        continue;
      }
      if (inClass) {
        if (goRegex.startsWith("[:", i)) {
          int close = goRegex.indexOf(":]", i + 2);
          if (close > 0) {
            out.append(posix(goRegex.substring(i + 2, close)));
            i = close + 1;
            continue;
          }
        }
        if (c == ']') {
          inClass = false;
        } else if (c == '[' || c == '&') {
          // literal in an RE2 class; in Java '[' opens a nested class and "&&" intersects
          out.append('\\');
        }
        out.append(c);
        continue;
      }
      if (c == '{' && !REPEAT.matcher(goRegex).region(i, n).lookingAt()) {
        // RE2 reads a brace that starts no repetition as a literal; Java refuses it
        out.append("\\{");
        continue;
      }
      if (c == '[') {
        inClass = true;
        out.append(c);
        if (i + 1 < n && goRegex.charAt(i + 1) == '^') {
          out.append('^');
          i++;
        }
        if (i + 1 < n && goRegex.charAt(i + 1) == ']') {
          out.append("\\]");
          i++;
        }
        continue;
      }
      if (c == '(') {
        boolean named =
            goRegex.startsWith("(?P<", i)
                || (goRegex.startsWith("(?<", i)
                    && !goRegex.startsWith("(?<=", i)
                    && !goRegex.startsWith("(?<!", i));
        if (named) {
          int start = goRegex.indexOf('<', i) + 1;
          int end = goRegex.indexOf('>', start);
          if (end < 0) {
            throw new CompileError(
                col, "invalid regex pattern \"" + goRegex + "\": unterminated group name");
          }
          String name = goRegex.substring(start, end);
          names.put(name, ++group);
          groupNames.add(name);
          out.append('(');
          i = end;
          continue;
        }
        if (!goRegex.startsWith("(?", i)) {
          group++;
          groupNames.add(null);
        }
      }
      out.append(c);
    }
    try {
      return new Re(
          Pattern.compile(out.toString()),
          Map.copyOf(names),
          Collections.unmodifiableList(groupNames));
    } catch (PatternSyntaxException e) {
      throw new CompileError(
          col,
          "invalid regex pattern \""
              + goRegex
              + "\": "
              + e.getDescription()
              + " near index "
              + e.getIndex());
    }
  }

  private static String posix(String cls) {
    return switch (cls) {
      case "alpha" -> "\\p{Alpha}";
      case "digit" -> "\\p{Digit}";
      case "alnum" -> "\\p{Alnum}";
      case "space" -> "\\s";
      case "upper" -> "\\p{Upper}";
      case "lower" -> "\\p{Lower}";
      case "punct" -> "\\p{Punct}";
      case "xdigit" -> "\\p{XDigit}";
      case "word" -> "\\w";
      default -> "[:" + cls + ":]";
    };
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
            throw new CompileError(
                col, "invalid glob pattern \"" + glob + "\": trailing backslash");
          }
          sb.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            throw new CompileError(
                col, "invalid glob pattern \"" + glob + "\": unterminated character class");
          }
          String cls = glob.substring(i + 1, end);
          boolean neg = cls.startsWith("^") || cls.startsWith("!");
          if (neg) {
            cls = cls.substring(1);
          }
          sb.append('[')
              .append(neg ? "^" : "")
              .append(cls.replace("\\", "\\\\").replace("[", "\\["))
              .append(']');
          i = end;
        }
        default -> sb.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    return Pattern.compile(sb.toString());
  }

  /**
   * Go's {@code regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code
   * $$}.
   */
  static String expand(String template, Matcher m, Map<String, Integer> names) {
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
        if (name.isEmpty()
            || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
          sb.append(c);
          i++;
          continue;
        }
        i = close + 1;
      } else {
        int j = i + 1;
        while (j < n
            && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
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
          Integer idx = names.get(name);
          g = idx == null ? null : m.group(idx);
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
