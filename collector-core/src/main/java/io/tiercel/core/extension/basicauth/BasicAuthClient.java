package io.tiercel.core.extension.basicauth;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Settings;
import io.tiercel.core.extension.auth.ClientAuthenticator;
import io.tiercel.core.extension.auth.WatchedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Sends {@code Authorization: Basic base64(user:password)}; a user name or password read from a
 * file follows the file when it changes.
 */
final class BasicAuthClient implements Extension, ClientAuthenticator {
  private final Settings settings;
  private final BasicAuthConfig.ClientAuth cfg;
  private final Object lock = new Object();
  private final List<WatchedFile> files = new ArrayList<>(); // guarded by lock
  private String username; // guarded by lock
  private String password; // guarded by lock
  private volatile Map<String, String> headers;

  BasicAuthClient(Settings settings, BasicAuthConfig.ClientAuth cfg) {
    this.settings = settings;
    this.cfg = cfg;
    this.username = cfg.username() == null ? "" : cfg.username();
    this.password = cfg.password() == null ? "" : cfg.password().value();
    this.headers = encode(username, password);
  }

  private static Map<String, String> encode(String user, String password) {
    String pair = user + ":" + password;
    return Map.of(
        "Authorization",
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void start(Host host) throws IOException {
    String place = "extensions." + settings.id() + ".client_auth.";
    watch(place + "username_file", cfg.usernameFile(), true);
    watch(place + "password_file", cfg.passwordFile(), false);
  }

  private void watch(String place, String file, boolean isUser) throws IOException {
    if (file == null || file.isBlank()) {
      return;
    }
    WatchedFile w =
        new WatchedFile(
            Path.of(file),
            settings.id().toString(),
            settings.logger(),
            content -> update(content.strip(), isUser));
    try {
      w.start();
    } catch (IOException e) {
      throw new IOException(place + ": cannot read " + file, e);
    }
    synchronized (lock) {
      files.add(w);
    }
  }

  private void update(String value, boolean isUser) {
    synchronized (lock) {
      if (isUser) {
        if (value.indexOf(':') >= 0) {
          settings
              .logger()
              .warn("{}: the user name in username_file contains ':'; not used", settings.id());
          return;
        }
        username = value;
      } else {
        password = value;
      }
      headers = encode(username, password);
    }
  }

  @Override
  public Map<String, String> requestHeaders() {
    return headers;
  }

  @Override
  public void shutdown(Deadline deadline) {
    synchronized (lock) {
      files.forEach(WatchedFile::stop);
      files.clear();
    }
  }
}
