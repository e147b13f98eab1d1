package io.tiercel.core.cli;

import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ServiceConfig;
import java.util.List;
import java.util.function.Function;

/** The product's {@link ConfigSource}. */
final class ConfigSources {
  private ConfigSources() {}

  /** Loads configs with the config loader over {@code registry}, expanding {@code ${env:...}} from {@code env}. */
  static ConfigSource loader(ComponentRegistry registry, Function<String, String> env) {
    // TODO(service): wire io.tiercel.core.config.ConfigLoader once it is merged into main.
    return new ConfigSource() {
      @Override
      public ServiceConfig load(List<String> configs, List<String> sets) throws ConfigException {
        throw ConfigException.of("", "config loading is not part of this build yet");
      }

      @Override
      public String effectiveYaml(ServiceConfig config) {
        throw new UnsupportedOperationException("config loading is not part of this build yet");
      }
    };
  }
}
