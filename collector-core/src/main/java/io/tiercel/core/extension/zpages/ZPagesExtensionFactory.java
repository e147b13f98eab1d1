package io.tiercel.core.extension.zpages;

import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;

/**
 * The {@code zpages} extension: the collector's zPages and Tiercel's live status page with its
 * JSON.
 */
public final class ZPagesExtensionFactory implements ExtensionFactory<ZPagesConfig> {
  @Override
  public String type() {
    return "zpages";
  }

  @Override
  public Class<ZPagesConfig> configClass() {
    return ZPagesConfig.class;
  }

  @Override
  public ZPagesConfig createDefaultConfig() {
    return ZPagesConfig.DEFAULT;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Extension create(Settings settings, ZPagesConfig config) {
    return new ZPagesExtension(settings, config);
  }
}
