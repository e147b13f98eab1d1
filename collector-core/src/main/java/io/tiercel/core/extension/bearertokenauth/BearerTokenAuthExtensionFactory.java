package io.tiercel.core.extension.bearertokenauth;

import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;

/** The {@code bearertokenauth} extension: a server and client authenticator of bearer tokens. */
public final class BearerTokenAuthExtensionFactory
    implements ExtensionFactory<BearerTokenAuthConfig> {
  @Override
  public String type() {
    return "bearertokenauth";
  }

  @Override
  public Class<BearerTokenAuthConfig> configClass() {
    return BearerTokenAuthConfig.class;
  }

  @Override
  public BearerTokenAuthConfig createDefaultConfig() {
    return BearerTokenAuthConfig.DEFAULT;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Extension create(Settings settings, BearerTokenAuthConfig config) {
    return new BearerTokenAuth(settings, config);
  }
}
