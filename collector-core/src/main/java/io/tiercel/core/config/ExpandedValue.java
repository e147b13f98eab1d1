package io.tiercel.core.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scalar that came from a {@code ${...}} reference or a {@code --set} value and was parsed as
 * YAML into a number, boolean, map or list, or a plain YAML scalar such as {@code 100_000} that
 * Go's YAML reads as a number: {@code value} is what it parsed to, {@code text} what was written.
 * It appears only in raw trees ({@link ConfigLoader#loadRaw}); {@link ConfigBinder} binds {@code
 * value} to numeric and boolean fields and {@code text} to string and {@link Secret} fields, so
 * {@code ${env:TOKEN}} holding {@code 0123} stays {@code "0123"} in a string field instead of
 * becoming {@code 123}, and a password {@code a: b} stays text.
 *
 * @param value the parsed scalar: an Integer, Long, BigInteger, Double, Boolean, Map or List
 * @param text the text as written
 */
public record ExpandedValue(Object value, String text) {
  public ExpandedValue {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(text, "text");
  }

  /** {@code v} itself, or its parsed value when it is an {@link ExpandedValue}. */
  public static @Nullable Object unwrap(@Nullable Object v) {
    return v instanceof ExpandedValue e ? e.value : v;
  }
}
