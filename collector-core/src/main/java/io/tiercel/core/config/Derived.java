package io.tiercel.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a config record component that the compact constructor computes from the others (a compiled
 * form of what the user wrote, such as regular expressions): the binder never reads it from YAML
 * (its key is unknown there) and always passes null for it, and {@link ConfigBinder#toTree} leaves
 * it out. So what validation has to compile is compiled once and kept.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.FIELD,
  ElementType.PARAMETER,
  ElementType.METHOD
})
public @interface Derived {}
