package io.tiercel.core.extension.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticatorsTest {
  private static final class ClientOnly implements Extension, ClientAuthenticator {
    @Override
    public void start(Host host) {}

    @Override
    public void shutdown(Deadline deadline) {}

    @Override
    public Map<String, String> requestHeaders() {
      return Map.of();
    }
  }

  @Test
  void anUnknownIdNamesThePlace() {
    Host host = AuthTesting.host(Map.of());
    assertThatThrownBy(
            () ->
                Authenticators.server(
                    host,
                    "receivers.otlp.protocols.http.auth",
                    new AuthConfig(ComponentId.parse("basicauth/x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "receivers.otlp.protocols.http.auth.authenticator: \"basicauth/x\" is not a configured"
                + " extension (add it under extensions and service.extensions)");
  }

  @Test
  void anExtensionOfTheWrongKindNamesThePlace() {
    ComponentId id = ComponentId.parse("basicauth/client");
    Host host = AuthTesting.host(Map.of(id, new ClientOnly()));
    assertThatThrownBy(
            () ->
                Authenticators.server(
                    host, "receivers.otlp.protocols.grpc.auth", new AuthConfig(id)))
        .hasMessage(
            "receivers.otlp.protocols.grpc.auth.authenticator: \"basicauth/client\" is not a server"
                + " authenticator (extension type basicauth)");
    assertThat(Authenticators.client(host, "exporters.otlp_grpc.auth", new AuthConfig(id)))
        .isInstanceOf(ClientOnly.class);
  }

  @Test
  void headersAreFoundInAnyCase() {
    Map<String, List<String>> h = AuthTesting.headers("authorization", "a", "X-Key", "b");
    assertThat(Authenticators.first(h, "Authorization")).isEqualTo("a");
    assertThat(Authenticators.first(h, "x-key")).isEqualTo("b");
    assertThat(Authenticators.first(h, "other")).isNull();
  }
}
