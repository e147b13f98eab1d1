package io.tiercel.core.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A config value that must never be shown: passwords, tokens. {@link #toString()} is {@code
 * [REDACTED]}, so it stays hidden in logs, error messages and {@code print-config}; only {@link
 * #value()} reveals it, to the code that hands it to a client library.
 */
public final class Secret {
  public static final String REDACTED = "[REDACTED]";
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret itself. Never log it. */
  public String value() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return REDACTED;
  }
}
