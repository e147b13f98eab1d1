package io.tiercel.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record-typed config component whose default is null (the section is off) as an optional
 * section in the OpenTelemetry Collector's sense: naming its key, even with no value ({@code
 * grpc:}), switches it on, built from zero values (its constructor fills the defaults). Without
 * this mark a key with no value keeps the default.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.FIELD,
  ElementType.PARAMETER,
  ElementType.METHOD
})
public @interface OptionalSection {}
