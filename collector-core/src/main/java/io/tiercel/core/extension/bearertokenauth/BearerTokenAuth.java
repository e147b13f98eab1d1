package io.tiercel.core.extension.bearertokenauth;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.Secret;
import io.tiercel.core.extension.auth.AuthenticationException;
import io.tiercel.core.extension.auth.Authenticators;
import io.tiercel.core.extension.auth.ClientAuthenticator;
import io.tiercel.core.extension.auth.ServerAuthenticator;
import io.tiercel.core.extension.auth.TokenSource;
import io.tiercel.core.extension.auth.WatchedFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks and sends {@code <header>: <scheme> <token>}. The expected values are held in one volatile
 * list, replaced whole when the token file changes, so a request never sees half a reload. Tokens
 * are compared in constant time.
 */
final class BearerTokenAuth
    implements Extension, ServerAuthenticator, ClientAuthenticator, TokenSource {
  private final Settings settings;
  private final BearerTokenAuthConfig cfg;
  private final @Nullable WatchedFile file;
  private volatile List<byte[]> expected;
  private volatile Map<String, String> outgoing;
  private volatile Optional<String> current;

  BearerTokenAuth(Settings settings, BearerTokenAuthConfig cfg) {
    this.settings = settings;
    this.cfg = cfg;
    List<String> tokens = new ArrayList<>();
    if (cfg.token() != null && !cfg.token().isEmpty()) {
      tokens.add(cfg.token().value());
    }
    cfg.tokens().stream().map(Secret::value).forEach(tokens::add);
    this.file =
        cfg.filename() == null || cfg.filename().isBlank()
            ? null
            : new WatchedFile(
                Path.of(cfg.filename()),
                settings.id().toString(),
                settings.logger(),
                this::onFileContent);
    set(file == null ? tokens : List.of());
  }

  private void onFileContent(String content) {
    List<String> tokens = new ArrayList<>();
    for (String line : content.split("\n", -1)) {
      String t = line.strip();
      // an empty line is no token: a trailing newline must not make "Bearer " a valid credential
      if (!t.isEmpty()) {
        tokens.add(t);
      }
    }
    set(tokens);
  }

  private void set(List<String> tokens) {
    List<byte[]> values = new ArrayList<>();
    for (String t : tokens) {
      values.add(value(t).getBytes(StandardCharsets.UTF_8));
    }
    expected = List.copyOf(values);
    outgoing = tokens.isEmpty() ? Map.of() : Map.of(cfg.header(), value(tokens.get(0)));
    current = tokens.isEmpty() ? Optional.empty() : Optional.of(tokens.get(0));
  }

  private String value(String token) {
    return cfg.scheme().isEmpty() ? token : cfg.scheme() + " " + token;
  }

  @Override
  public void start(Host host) throws Exception {
    WatchedFile f = file;
    if (f != null) {
      if ((cfg.token() != null && !cfg.token().isEmpty()) || !cfg.tokens().isEmpty()) {
        settings.logger().warn("{}: filename is set; token and tokens are ignored", settings.id());
      }
      try {
        f.start();
      } catch (java.io.IOException e) {
        throw new java.io.IOException(
            "extensions." + settings.id() + ".filename: cannot read " + cfg.filename(), e);
      }
    }
  }

  @Override
  public void authenticate(Map<String, List<String>> headers) throws AuthenticationException {
    String presented = Authenticators.first(headers, cfg.header());
    if (presented == null || presented.isEmpty()) {
      throw new AuthenticationException("missing or empty authorization header: " + cfg.header());
    }
    byte[] p = presented.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] e : expected) {
      ok |= MessageDigest.isEqual(e, p);
    }
    if (!ok) {
      // the collector repeats the presented token here; a wrong token is often a real one of
      // another system, so it is left out
      throw new AuthenticationException("scheme or token does not match");
    }
  }

  @Override
  public Optional<String> currentToken() {
    return current;
  }

  @Override
  public Map<String, String> requestHeaders() {
    return outgoing;
  }

  @Override
  public void shutdown(Deadline deadline) {
    if (file != null) {
      file.stop();
    }
  }
}
