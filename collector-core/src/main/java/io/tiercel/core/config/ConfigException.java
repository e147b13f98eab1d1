package io.tiercel.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every error found in a config, reported at once. The message lists one error per line. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public static ConfigException of(String path, String message) {
    return new ConfigException(List.of(new ConfigError(path, message)));
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
