package io.tiercel.core.extension.basicauth;

import io.tiercel.core.component.Extension;
import io.tiercel.core.component.ExtensionFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;

/**
 * The {@code basicauth} extension: a server authenticator ({@code htpasswd}) or a client
 * authenticator ({@code client_auth}), never both in one instance.
 */
public final class BasicAuthExtensionFactory implements ExtensionFactory<BasicAuthConfig> {
  @Override
  public String type() {
    return "basicauth";
  }

  @Override
  public Class<BasicAuthConfig> configClass() {
    return BasicAuthConfig.class;
  }

  @Override
  public BasicAuthConfig createDefaultConfig() {
    return BasicAuthConfig.DEFAULT;
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Extension create(Settings settings, BasicAuthConfig config) {
    config.validate();
    BasicAuthConfig.Htpasswd h = config.htpasswd();
    if (h != null) {
      return new BasicAuthServer(settings, h);
    }
    return new BasicAuthClient(settings, java.util.Objects.requireNonNull(config.clientAuth()));
  }
}
