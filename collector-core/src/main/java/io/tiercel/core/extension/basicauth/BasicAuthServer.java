package io.tiercel.core.extension.basicauth;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.extension.auth.AuthenticationException;
import io.tiercel.core.extension.auth.Authenticators;
import io.tiercel.core.extension.auth.ServerAuthenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lets in requests whose {@code Authorization: Basic ...} names a user of the htpasswd text with
 * its password. The file is read once, at start, as in the collector.
 */
final class BasicAuthServer implements Extension, ServerAuthenticator {
  private final Settings settings;
  private final BasicAuthConfig.Htpasswd cfg;
  private volatile @Nullable Htpasswd users;

  BasicAuthServer(Settings settings, BasicAuthConfig.Htpasswd cfg) {
    this.settings = settings;
    this.cfg = cfg;
  }

  @Override
  public void start(Host host) throws IOException {
    String place = "extensions." + settings.id() + ".htpasswd";
    String fileText = "";
    if (cfg.file() != null && !cfg.file().isBlank()) {
      try {
        fileText = Files.readString(Path.of(cfg.file()), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IOException(place + ".file: cannot read " + cfg.file(), e);
      }
    }
    String inline = cfg.inline() == null ? "" : cfg.inline().value();
    Htpasswd h;
    try {
      h = Htpasswd.parse(place, fileText, inline);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), null);
    }
    users = h;
    settings.logger().info("Basic auth {}: {} user(s)", settings.id(), h.size());
  }

  @Override
  public void authenticate(Map<String, List<String>> headers) throws AuthenticationException {
    Htpasswd h = users;
    if (h == null) {
      throw new AuthenticationException("the authenticator is not started");
    }
    String auth = Authenticators.first(headers, "Authorization");
    if (auth == null || auth.isEmpty()) {
      throw new AuthenticationException("no basic auth provided");
    }
    String prefix = "Basic ";
    if (auth.length() < prefix.length()
        || !auth.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw new AuthenticationException("invalid authorization scheme prefix");
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(auth.substring(prefix.length())), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException("invalid authorization format");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new AuthenticationException("invalid authorization format");
    }
    if (!h.matches(decoded.substring(0, colon), decoded.substring(colon + 1))) {
      throw new AuthenticationException("invalid credentials");
    }
  }

  @Override
  public void shutdown(Deadline deadline) {
    users = null;
  }
}
