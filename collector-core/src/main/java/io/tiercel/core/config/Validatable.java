package io.tiercel.core.config;

/**
 * A config record with checks that only apply to the config as the user completed it, not to the
 * default (for example a setting the collector requires but has no default for). The config loader
 * calls {@link #validate()} on the bound record; the compact constructor keeps the checks that hold
 * for every instance, the default included.
 */
public interface Validatable {
  /**
   * Checks the complete config.
   *
   * @throws InvalidValueException naming the key at fault (or {@link IllegalArgumentException} for
   *     the whole)
   */
  void validate();
}
