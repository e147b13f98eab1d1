package io.tiercel.core.cli;

import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ServiceConfig;
import java.util.List;

/** How the CLI reads a config: the {@code ConfigLoader} in the product, a fake in tests. */
public interface ConfigSource {
  /**
   * Loads, merges, expands and validates the config.
   *
   * @param configs the {@code --config} sources, in order (later wins)
   * @param sets the {@code --set key=value} overrides, applied last
   * @throws ConfigException listing every error found
   */
  ServiceConfig load(List<String> configs, List<String> sets) throws ConfigException;

  /** The effective config as YAML, secrets shown as {@code [REDACTED]}. */
  String effectiveYaml(ServiceConfig config);
}
