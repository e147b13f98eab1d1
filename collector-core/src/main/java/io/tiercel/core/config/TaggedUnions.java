package io.tiercel.core.config;

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
    return ConfigBinder.record(
        chosen, chosen.isInstance(def) ? (Record) def : null, m, path, errors, tagKey);
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
