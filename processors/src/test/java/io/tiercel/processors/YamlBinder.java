package io.tiercel.processors;

import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Binds test YAML with the collector's {@link ConfigBinder}, as the config loader does for a
 * component.
 */
public final class YamlBinder {
  private YamlBinder() {}

  /** The errors of a failed bind, with their paths. */
  public static final class BindException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final transient List<ConfigError> errors;

    BindException(List<ConfigError> errors) {
      super(errors.toString());
      this.errors = List.copyOf(errors);
    }
  }

  public static Map<String, Object> yaml(String text) {
    return new Yaml().load(text);
  }

  /** Binds {@code yaml} over {@code defaults}; throws {@link BindException} with every error. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> R bind(R defaults, Map<String, Object> yaml) {
    List<ConfigError> errors = new ArrayList<>();
    R r = ConfigBinder.bind((Class<R>) defaults.getClass(), defaults, yaml, "", errors);
    if (!errors.isEmpty()) {
      throw new BindException(errors);
    }
    return r;
  }
}
