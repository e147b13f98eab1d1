package io.tiercel.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The YAML key of a config record component when it is not the component's name in snake_case (for
 * example a key that is a Java keyword, or one spelled with a dash or dot), or the YAML spelling of
 * an enum constant when it is not the constant's name in lower case.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.FIELD,
  ElementType.PARAMETER,
  ElementType.METHOD
})
public @interface Key {
  String value();

  /**
   * Other spellings an enum constant accepts (for example {@code none} beside {@code 0}); error
   * messages list them after every constant's key.
   */
  String[] aliases() default {};
}
