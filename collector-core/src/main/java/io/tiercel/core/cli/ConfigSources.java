package io.tiercel.core.cli;

import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.EffectiveConfig;
import io.tiercel.core.config.ServiceConfig;
import java.util.List;
import java.util.function.Function;

/** The product's {@link ConfigSource}: the {@link ConfigLoader}. */
public final class ConfigSources {
  private ConfigSources() {}

  /**
   * Loads configs with the config loader over {@code registry}, expanding {@code ${env:...}} from
   * {@code env}.
   */
  /**
   * The production config source: {@link io.tiercel.core.config.ConfigLoader} over {@code
   * registry}.
   */
  public static ConfigSource loader(ComponentRegistry registry, Function<String, String> env) {
    ConfigLoader loader = new ConfigLoader(registry, env);
    return new ConfigSource() {
      @Override
      public ServiceConfig load(List<String> configs, List<String> sets) throws ConfigException {
        return loader.load(configs, sets);
      }

      @Override
      public String effectiveYaml(ServiceConfig config) {
        return EffectiveConfig.toYaml(EffectiveConfig.tree(config));
      }
    };
  }
}
