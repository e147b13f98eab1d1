package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Grok expressions as ExtractGrokPatterns reads them: {@code %{SYNTAX}}, {@code %{SYNTAX:ID}} and
 * {@code %{SYNTAX:ID:TYPE}} references to named patterns, expanded into one Go regex.
 *
 * <p>A reference with an ID becomes a group named by the ID (dots kept); one without becomes a
 * group named by the pattern, or an unnamed group when only named captures are wanted. Matching
 * finds the leftmost match; each named group that matched non-empty text gives a value (a later
 * group of the same name wins), converted by its TYPE: {@code int}/{@code long} to an integer,
 * {@code float}/{@code double} to a double, {@code bool}/{@code boolean} to a boolean.
 */
final class Grok {
  /** The patterns every expression can use: the default set and the product sets. */
  private static final Map<String, String> KNOWN = load();

  private static final Pattern REFERENCE = Pattern.compile("%\\{(\\w+(?::[\\w+.]+(?::\\w+)?)?)}");

  /** Stands for '.' in a group name while the regex is built, as the collector's library does. */
  private static final String DOT = "___";

  /** Expansion rounds before a pattern that keeps referring to itself is left as it is. */
  private static final int MAX_ROUNDS = 1000;

  private final Pattern pattern;
  private final List<@Nullable String> groups;
  private final Map<String, String> types;

  private Grok(Pattern pattern, List<@Nullable String> groups, Map<String, String> types) {
    this.pattern = pattern;
    this.groups = groups;
    this.types = types;
  }

  /** A grok expression that cannot be compiled; the message says why. */
  static final class GrokException extends Exception {
    private static final long serialVersionUID = 1L;

    GrokException(String message) {
      super(message);
    }
  }

  /**
   * Compiles {@code expression} with the known patterns and {@code custom} ones (which win over
   * known ones of the same name).
   */
  static Grok compile(String expression, boolean namedCapturesOnly, Map<String, String> custom)
      throws GrokException {
    Map<String, String> types = new HashMap<>();
    String expanded = expression;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Matcher m = REFERENCE.matcher(expanded);
      List<String[]> refs = new ArrayList<>();
      while (m.find()) {
        refs.add(new String[] {m.group(), m.group(1)});
      }
      if (refs.isEmpty()) {
        break;
      }
      for (String[] ref : refs) {
        String[] parts = ref[1].split(":", -1);
        String id = parts.length > 1 ? parts[1].replace(".", DOT) : parts[0];
        if (parts.length == 3) {
          types.put(id, parts[2]);
        }
        String definition = custom.getOrDefault(parts[0], KNOWN.get(parts[0]));
        if (definition == null) {
          throw new GrokException(
              "pattern definition \"" + parts[0] + "\" unknown: parsing failed");
        }
        String group =
            namedCapturesOnly && parts.length == 1
                ? "(" + definition + ")"
                : "(?P<" + id + ">" + definition + ")";
        expanded = expanded.replace(ref[0], group);
      }
    }
    Regexes.Re re;
    try {
      re = Regexes.compileNamed(expanded, 0);
    } catch (CompileError e) {
      String msg = String.valueOf(e.getMessage());
      String prefix = "invalid regex pattern \"" + expanded + "\": ";
      throw new GrokException(msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg);
    }
    return new Grok(re.pattern(), re.groupNames(), Map.copyOf(types));
  }

  /** Whether the expression has a named group. */
  boolean hasNamedGroups() {
    return groups.stream().anyMatch(g -> g != null);
  }

  /**
   * The named values of the leftmost match in {@code text}, empty when nothing matches; throws
   * {@link OttlRuntimeException} when a value does not convert to its TYPE.
   */
  Map<String, Object> parse(String text) {
    return match(text, true);
  }

  /** The named values of the leftmost match as matched, without TYPE conversion. */
  Map<String, Object> parseText(String text) {
    return match(text, false);
  }

  private Map<String, Object> match(String text, boolean typed) {
    Map<String, Object> out = new LinkedHashMap<>();
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return out;
    }
    for (int i = 0; i < groups.size(); i++) {
      String name = groups.get(i);
      String value = m.group(i + 1);
      if (name == null || value == null || value.isEmpty()) {
        continue;
      }
      out.put(name.replace(DOT, "."), typed ? convert(name, value) : value);
    }
    return out;
  }

  private Object convert(String name, String value) {
    String type = types.get(name);
    if (type == null) {
      return value;
    }
    try {
      return switch (type) {
        case "string" -> value;
        case "int", "long" -> Long.parseLong(value);
        case "float", "double" -> Double.parseDouble(value);
        case "bool", "boolean" -> parseBool(value);
        default ->
            throw new OttlRuntimeException(
                "ExtractGrokPatterns: invalid type for " + name + ": type not specified");
      };
    } catch (NumberFormatException e) {
      throw new OttlRuntimeException(
          "ExtractGrokPatterns: cannot convert \"" + value + "\" of " + name + " to " + type);
    }
  }

  /** Go's strconv.ParseBool: 1, t, T, TRUE, true, True and their false forms. */
  private static boolean parseBool(String v) {
    return switch (v) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new NumberFormatException(v);
    };
  }

  private static Map<String, String> load() {
    Map<String, String> known = new HashMap<>();
    try (InputStream in = Grok.class.getResourceAsStream("grok-patterns.tsv")) {
      if (in == null) {
        throw new IllegalStateException("grok-patterns.tsv is missing from the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        int tab = line.indexOf('\t');
        if (line.startsWith("#") || tab < 0) {
          continue;
        }
        known.put(line.substring(0, tab), line.substring(tab + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(known);
  }

  /** The names of the known patterns (for tests). */
  static Set<String> knownNames() {
    return KNOWN.keySet();
  }
}
