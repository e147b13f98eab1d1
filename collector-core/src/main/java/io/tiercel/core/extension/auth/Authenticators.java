package io.tiercel.core.extension.auth;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the authenticator a component names, at start, with errors that name the place in the
 * config: {@code receivers.otlp.protocols.http.auth.authenticator: "basicauth/x" is not a
 * configured extension ...}.
 */
public final class Authenticators {
  private Authenticators() {}

  /**
   * The server authenticator {@code auth} names.
   *
   * @param place the YAML path of the {@code auth} section, as {@code
   *     receivers.otlp.protocols.grpc.auth}
   * @throws IllegalStateException when no started extension has that id, or it cannot authenticate
   *     requests coming in
   */
  public static ServerAuthenticator server(Host host, String place, AuthConfig auth) {
    return find(host, place, auth, ServerAuthenticator.class, "a server authenticator");
  }

  /**
   * The client authenticator {@code auth} names.
   *
   * @throws IllegalStateException when no started extension has that id, or it cannot give
   *     credentials to requests going out
   */
  public static ClientAuthenticator client(Host host, String place, AuthConfig auth) {
    return find(host, place, auth, ClientAuthenticator.class, "a client authenticator");
  }

  private static <A> A find(Host host, String place, AuthConfig auth, Class<A> type, String what) {
    ComponentId id = auth.id();
    Extension e = host.extensions().get(id);
    String at = place + ".authenticator: \"" + id + "\" ";
    if (e == null) {
      throw new IllegalStateException(
          at + "is not a configured extension (add it under extensions and service.extensions)");
    }
    if (!type.isInstance(e)) {
      throw new IllegalStateException(
          at + "is not " + what + " (extension type " + id.type() + ")");
    }
    return type.cast(e);
  }

  /**
   * The first value of header {@code name} in {@code headers}, matching the name in any case, or
   * null.
   */
  public static @org.jspecify.annotations.Nullable String first(
      Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    if (values == null) {
      values = headers.get(name.toLowerCase(Locale.ROOT));
    }
    if (values == null) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          values = h.getValue();
          break;
        }
      }
    }
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
