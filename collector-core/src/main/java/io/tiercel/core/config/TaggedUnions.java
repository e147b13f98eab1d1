package io.tiercel.core.config;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a sealed interface marked {@link TaggedUnion} names its records (see {@link ConfigBinder}).
 */
final class TaggedUnions {
  private TaggedUnions() {}

  /**
   * Binds a {@link TaggedUnion}: the tag picks the variant among those {@code type} permits, and
   * the rest of the map is bound to it (over {@code def} when that is the same variant).
   */
  static Object bind(Class<?> type, Object def, Object y, String path, List<ConfigError> errors) {
    if (!(ExpandedValue.unwrap(y) instanceof Map<?, ?> m)) {
      return ConfigBinder.expected(errors, path, "a map", y);
    }
    String tagKey = unionKey(type);
    String tagPath = ConfigBinder.join(path, tagKey);
    Object tag = m.get(tagKey);
    if (tag == null) {
      return ConfigBinder.fail(errors, tagPath, "is required");
    }
    String name = ConfigBinder.scalarText(tag);
    if (name == null) {
      return ConfigBinder.expected(errors, tagPath, "a string", tag);
    }
    Map<String, Class<?>> variants = new LinkedHashMap<>();
    collectVariants(type, variants);
    Class<?> chosen = variants.get(name);
    if (chosen == null) {
      String valid = String.join(", ", variants.keySet());
      Map<String, Class<?>> all = new LinkedHashMap<>();
      collectVariants(unionRoot(type), all);
      return ConfigBinder.fail(
          errors,
          tagPath,
          all.containsKey(name)
              ? ConfigBinder.describe(tag) + " is not allowed here (allowed: " + valid + ")"
              : ConfigBinder.describe(tag) + " is not one of " + valid);
    }
    Map<?, ?> own = withoutForeignSectionsWithUnknownKeys(chosen, variants, m, path, errors);
    return ConfigBinder.record(
        chosen, chosen.isInstance(def) ? (Record) def : null, own, path, errors, tagKey);
  }

  /**
   * The collector decodes every variant's section, whichever the tag names, so a section of another
   * variant that holds keys that variant does not know fails naming those keys. Such a section is
   * reported so (at {@code path.section.key}) and left out of the map; any other key the chosen
   * record does not have stays, to be reported as unknown there.
   */
  private static Map<?, ?> withoutForeignSectionsWithUnknownKeys(
      Class<?> chosen,
      Map<String, Class<?>> variants,
      Map<?, ?> m,
      String path,
      List<ConfigError> errors) {
    java.util.Set<String> ownKeys = new java.util.HashSet<>();
    for (RecordComponent c : chosen.getRecordComponents()) {
      ownKeys.add(ConfigBinder.yamlKey(c));
    }
    Map<Object, Object> out = null;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = String.valueOf(e.getKey());
      if (ownKeys.contains(k)
          || !(ExpandedValue.unwrap(e.getValue()) instanceof Map<?, ?> section)) {
        continue;
      }
      Class<?> sectionType = foreignSection(variants, chosen, k);
      if (sectionType == null) {
        continue;
      }
      List<String> valid = new java.util.ArrayList<>();
      for (RecordComponent c : sectionType.getRecordComponents()) {
        if (!c.isAnnotationPresent(Derived.class)) {
          valid.add(ConfigBinder.yamlKey(c));
        }
      }
      boolean unknown = false;
      for (Object sk : section.keySet()) {
        if (!valid.contains(String.valueOf(sk))) {
          ConfigBinder.fail(
              errors,
              ConfigBinder.join(path, k),
              "unknown key \"" + sk + "\"; valid keys are: " + String.join(", ", valid));
          unknown = true;
        }
      }
      if (unknown) {
        if (out == null) {
          out = new LinkedHashMap<>(m);
        }
        out.remove(e.getKey());
      }
    }
    return out == null ? m : out;
  }

  /** The record type of the section {@code key} of a variant other than {@code chosen}, or null. */
  private static Class<?> foreignSection(
      Map<String, Class<?>> variants, Class<?> chosen, String key) {
    for (Class<?> v : variants.values()) {
      if (v == chosen) {
        continue;
      }
      for (RecordComponent c : v.getRecordComponents()) {
        if (c.getType().isRecord() && ConfigBinder.yamlKey(c).equals(key)) {
          return c.getType();
        }
      }
    }
    return null;
  }

  static void collectVariants(Class<?> type, Map<String, Class<?>> out) {
    for (Class<?> c : type.getPermittedSubclasses()) {
      if (c.isRecord()) {
        out.putIfAbsent(variantName(c), c);
      } else if (c.isSealed()) {
        collectVariants(c, out);
      }
    }
  }

  /**
   * The tag key of the {@link TaggedUnion} {@code type} is (or belongs to, through its interfaces),
   * or null.
   */
  static String unionKey(Class<?> type) {
    TaggedUnion u = type.getAnnotation(TaggedUnion.class);
    if (u != null) {
      return u.value();
    }
    for (Class<?> i : type.getInterfaces()) {
      String k = unionKey(i);
      if (k != null) {
        return k;
      }
    }
    return null;
  }

  static Class<?> unionRoot(Class<?> type) {
    if (type.isAnnotationPresent(TaggedUnion.class)) {
      return type;
    }
    for (Class<?> i : type.getInterfaces()) {
      if (unionKey(i) != null) {
        return unionRoot(i);
      }
    }
    return type;
  }

  /**
   * The name that selects a {@link TaggedUnion} variant: its simple name in snake_case ({@code
   * StringAttribute} is {@code string_attribute}).
   */
  static String variantName(Class<?> variant) {
    return ConfigBinder.snakeCase(variant.getSimpleName());
  }
}
