package io.tiercel.core.extension.health;

import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;

/** The {@code health_check} extension: HTTP 200 while every component is up, 503 otherwise. */
public final class HealthCheckExtensionFactory implements ExtensionFactory<HealthCheckConfig> {
  @Override
  public String type() {
    return "health_check";
  }

  @Override
  public Class<HealthCheckConfig> configClass() {
    return HealthCheckConfig.class;
  }

  @Override
  public HealthCheckConfig createDefaultConfig() {
    return HealthCheckConfig.DEFAULT;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Extension create(Settings settings, HealthCheckConfig config) {
    return new HealthCheckExtension(settings, config);
  }
}
