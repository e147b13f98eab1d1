package io.tiercel.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a sealed interface whose YAML form is a map that names its variant under one key (a tagged
 * union), as the collector's {@code tail_sampling} policies do: {@code {name: slow, type: latency,
 * latency: {threshold_ms: 500}}}. The binder reads the key's value, picks the permitted record of
 * that name (its simple name in snake_case, {@link ConfigBinder#variantName}; permitted sealed
 * interfaces are searched in turn, in {@code permits} order, which is also the order messages list
 * the names in) and binds the rest of the map to it. A config component typed as a narrower sealed
 * interface of the same union accepts only that interface's variants. {@link ConfigBinder#toTree}
 * writes the key back first.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TaggedUnion {
  /** The key whose value names the variant, e.g. {@code type}. */
  String value();
}
