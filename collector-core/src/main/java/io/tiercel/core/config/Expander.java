package io.tiercel.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${env:VAR}}, {@code ${VAR}}, {@code ${env:VAR:-default}} and {@code $$} in the
 * string values (never the keys) of a raw tree. A value that is exactly one reference is replaced
 * by its text parsed as YAML (so {@code ${env:PORT}} becomes an int, wrapped in an {@link
 * ExpandedValue} that keeps the text for string fields); references inside a longer string are
 * spliced in as text. Expanded text is not expanded again.
 */
final class Expander {
  private static final Pattern SCHEME =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):(?!-)(.*)$", Pattern.DOTALL);
  private static final Pattern VAR =
      Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$", Pattern.DOTALL);

  private final Function<String, String> env;
  private final List<ConfigError> errors;

  Expander(Function<String, String> env, List<ConfigError> errors) {
    this.env = env;
    this.errors = errors;
  }

  /**
   * A copy of {@code tree} with every string value expanded; errors are appended to the list given.
   */
  Object expand(Object tree, String path) {
    if (tree instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach(
          (k, v) ->
              out.put(String.valueOf(k), expand(v, ConfigBinder.join(path, String.valueOf(k)))));
      return out;
    }
    if (tree instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        out.add(expand(l.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    if (tree instanceof String s && s.indexOf('$') >= 0) {
      return expandString(s, path);
    }
    return tree;
  }

  private Object expandString(String s, String path) {
    if (s.startsWith("${") && s.indexOf('}') == s.length() - 1) {
      String text = resolve(s.substring(2, s.length() - 1), path);
      return text == null ? s : asYaml(text);
    }
    StringBuilder sb = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
        sb.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
        int end = s.indexOf('}', i + 2);
        if (end < 0) {
          errors.add(new ConfigError(path, "\"${\" without a closing \"}\""));
          return s;
        }
        String text = resolve(s.substring(i + 2, end), path);
        sb.append(text == null ? "" : text);
        i = end + 1;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  /** The text a reference stands for, or null after recording an error. */
  private String resolve(String ref, String path) {
    String var = ref;
    Matcher sm = SCHEME.matcher(ref);
    if (sm.matches()) {
      if (!sm.group(1).equals("env")) {
        errors.add(
            new ConfigError(
                path,
                "unknown scheme \""
                    + sm.group(1)
                    + "\" in ${"
                    + ref
                    + "}; the supported scheme is env"));
        return null;
      }
      var = sm.group(2);
    }
    Matcher vm = VAR.matcher(var);
    if (!vm.matches()) {
      errors.add(
          new ConfigError(
              path,
              "invalid reference ${"
                  + ref
                  + "}; write ${env:NAME} or ${env:NAME:-default}, and $$ for a literal $"));
      return null;
    }
    String value = env.apply(vm.group(1));
    if (value != null) {
      return value;
    }
    if (vm.group(2) != null) {
      return vm.group(2);
    }
    errors.add(
        new ConfigError(
            path,
            "environment variable \""
                + vm.group(1)
                + "\" is not set and ${"
                + ref
                + "} has no default"));
    return null;
  }

  /**
   * The text of a whole-value reference as YAML: an {@link ExpandedValue} when it parses as a map,
   * list, number or boolean, and otherwise the text itself, unchanged (so quotes, {@code #} and
   * {@code null} in a password survive).
   */
  static Object asYaml(String text) {
    if (text.isBlank()) {
      return text;
    }
    YamlTrees.Parsed p = YamlTrees.parse(text, "value");
    if (!p.errors().isEmpty()) {
      return text;
    }
    Object v = p.tree();
    if (v instanceof Number
        || v instanceof Boolean
        || v instanceof Map<?, ?>
        || v instanceof List<?>) {
      return new ExpandedValue(v, text);
    }
    return text;
  }
}
