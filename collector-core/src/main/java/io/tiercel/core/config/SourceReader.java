package io.tiercel.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The first step of loading a config: reads each source ({@code PATH}, {@code file:PATH}, {@code
 * env:VAR} holding YAML, {@code yaml:INLINE}), splits {@code a::b::c} keys into nested maps,
 * deep-merges the sources in order and applies each {@code --set}. Every problem is added to the
 * error list it was made with; references ({@code ${...}}) are left for the {@link Expander}.
 */
final class SourceReader {
  private static final Pattern SOURCE_SCHEME =
      Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]+:.*", Pattern.DOTALL);

  private final Function<String, String> env;
  private final List<ConfigError> errors;

  SourceReader(Function<String, String> env, List<ConfigError> errors) {
    this.env = env;
    this.errors = errors;
  }

  /** The sources merged in order (later ones win), then each {@code --set} applied in order. */
  Map<String, Object> read(List<String> configSources, List<String> sets) {
    Map<String, Object> merged = new LinkedHashMap<>();
    for (int i = 0; i < configSources.size(); i++) {
      Map<String, Object> tree = readSource(configSources.get(i), i + 1);
      if (tree != null) {
        merged = merge(merged, tree);
      }
    }
    for (String set : sets) {
      applySet(merged, set, errors);
    }
    return merged;
  }

  private Map<String, Object> readSource(String source, int number) {
    String label;
    String text;
    if (source.startsWith("env:")) {
      String var = source.substring(4);
      label = source;
      text = env.apply(var);
      if (text == null) {
        errors.add(
            new ConfigError("", label + ": environment variable \"" + var + "\" is not set"));
        return null;
      }
    } else if (source.startsWith("yaml:")) {
      text = source.substring(5);
      label = "inline yaml (config source " + number + ")"; // its text may hold a secret: not shown
    } else if (source.startsWith("file:") || !SOURCE_SCHEME.matcher(source).matches()) {
      label = source.startsWith("file:") ? source.substring(5) : source;
      try {
        text = Files.readString(Path.of(label));
      } catch (NoSuchFileException e) {
        errors.add(new ConfigError("", label + ": no such file"));
        return null;
      } catch (IOException | RuntimeException e) {
        errors.add(new ConfigError("", label + ": cannot read the file: " + e.getMessage()));
        return null;
      }
    } else {
      errors.add(
          new ConfigError(
              "",
              "unsupported config source \""
                  + source
                  + "\": use a file path, file:PATH, env:VAR or yaml:INLINE"));
      return null;
    }
    YamlTrees.Parsed parsed = YamlTrees.parse(text, label);
    errors.addAll(parsed.errors());
    if (parsed.empty() || parsed.errors().isEmpty() && parsed.tree() == null) {
      errors.add(new ConfigError("", label + ": the config is empty"));
      return null;
    }
    if (!parsed.errors().isEmpty()) {
      return null;
    }
    if (!(parsed.tree() instanceof Map<?, ?>)) {
      errors.add(
          new ConfigError(
              "",
              label
                  + ": expected a map at the top level, got "
                  + ConfigBinder.describe(parsed.tree())));
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) splitColonKeys(parsed.tree());
    return tree;
  }

  /** Keys written {@code a::b::c} become nested maps, as in the collector. */
  private static Object splitColonKeys(Object tree) {
    if (tree instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        Object value = splitColonKeys(e.getValue());
        if (key.contains("::")) {
          String[] parts = key.split("::", -1);
          for (int i = parts.length - 1; i > 0; i--) {
            Map<String, Object> wrap = new LinkedHashMap<>();
            wrap.put(parts[i], value);
            value = wrap;
          }
          key = parts[0];
        }
        Object prev = out.get(key);
        out.put(
            key,
            prev instanceof Map<?, ?> && value instanceof Map<?, ?> ? merge(prev, value) : value);
      }
      return out;
    }
    if (tree instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(splitColonKeys(o));
      }
      return out;
    }
    return tree;
  }

  /**
   * A deep merge: maps merge key by key, anything else in {@code over} replaces what {@code base}
   * has.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Object base, Object over) {
    Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) base);
    ((Map<String, Object>) over)
        .forEach(
            (k, v) -> {
              Object prev = out.get(k);
              out.put(k, prev instanceof Map<?, ?> && v instanceof Map<?, ?> ? merge(prev, v) : v);
            });
    return out;
  }

  private static void applySet(Map<String, Object> root, String set, List<ConfigError> errors) {
    int eq = set.indexOf('=');
    if (eq < 0) {
      errors.add(new ConfigError("", "--set \"" + set + "\": expected key=value"));
      return;
    }
    String key = set.substring(0, eq).strip();
    String[] parts = key.contains("::") ? key.split("::", -1) : key.split("\\.", -1);
    for (String p : parts) {
      if (p.isBlank()) {
        errors.add(new ConfigError("", "--set \"" + key + "\": empty key segment"));
        return;
      }
    }
    Object value = setValue(set.substring(eq + 1));
    Map<String, Object> cur = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = cur.get(parts[i]);
      if (next == null) {
        next = new LinkedHashMap<String, Object>();
        cur.put(parts[i], next);
      } else if (!(next instanceof Map<?, ?>)) {
        errors.add(
            new ConfigError(
                "",
                "--set \""
                    + key
                    + "\": "
                    + String.join(".", List.of(parts).subList(0, i + 1))
                    + " is not a map"));
        return;
      } else {
        // copy on write: a map reached through a YAML alias or merge key may be shared with another
        // place
        next = new LinkedHashMap<>((Map<?, ?>) next);
        cur.put(parts[i], next);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) next;
      cur = m;
    }
    cur.put(parts[parts.length - 1], value);
  }

  /** A {@code --set} value parsed as YAML; text that is not valid YAML is taken as a string. */
  private static Object setValue(String text) {
    YamlTrees.Parsed p = YamlTrees.parse(text, "--set");
    if (!p.errors().isEmpty()) {
      return text;
    }
    Object v = p.tree();
    return v instanceof Number || v instanceof Boolean ? new ExpandedValue(v, text.strip()) : v;
  }
}
