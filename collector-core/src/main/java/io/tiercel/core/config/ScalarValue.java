package io.tiercel.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a config value type written as one YAML scalar whose set of spellings is open (a built-in
 * name or a component id, say), so that an enum cannot hold it. The binder reads it with the type's
 * {@code public static T parse(String)}, whose {@link IllegalArgumentException} message is the
 * error at the value's path; {@link ConfigBinder#toTree} writes it back with {@code toString()},
 * which must give a spelling {@code parse} reads as an equal value.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ScalarValue {}
