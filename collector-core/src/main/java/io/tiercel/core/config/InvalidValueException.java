package io.tiercel.core.config;

/**
 * Thrown by a config record's compact constructor for a bad value: {@code key} is the YAML key
 * (relative to the record, dotted for nested keys) so that the binder can report {@code
 * exporters.kafka.<key>: <message>}. A plain {@link IllegalArgumentException} is reported at the
 * record's own path.
 */
public final class InvalidValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public InvalidValueException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The YAML key, relative to the record being built. */
  public String key() {
    return key;
  }
}
