package io.tiercel.kafka.common.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.extension.auth.TokenSource;
import io.tiercel.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.Test;

class OAuthBearerTokenHandlerTest {
  private static OAuthBearerTokenHandler handler(TokenSource source) {
    OAuthBearerTokenHandler h = new OAuthBearerTokenHandler();
    h.configure(Map.of(OAuthBearerTokenHandler.TOKEN_SOURCE, source), "OAUTHBEARER", List.of());
    return h;
  }

  private static OAuthBearerToken login(OAuthBearerTokenHandler h) throws Exception {
    OAuthBearerTokenCallback cb = new OAuthBearerTokenCallback();
    h.handle(new Callback[] {cb});
    return cb.token();
  }

  @Test
  void eachLoginReadsTheSourceAgainAndAJwtGivesPrincipalAndLifetime() throws Exception {
    Instant exp = Instant.ofEpochSecond(2_000_000_000L);
    AtomicReference<String> current = new AtomicReference<>(KafkaBroker.unsecuredToken("ann", exp));
    OAuthBearerTokenHandler h = handler(() -> Optional.of(current.get()));
    OAuthBearerToken first = login(h);
    assertThat(first.value()).isEqualTo(current.get());
    assertThat(first.principalName()).isEqualTo("ann");
    assertThat(first.lifetimeMs()).isEqualTo(exp.toEpochMilli());
    assertThat(first.toString()).doesNotContain(current.get());

    current.set("opaque-token");
    long before = System.currentTimeMillis();
    OAuthBearerToken second = login(h);
    assertThat(second.value()).isEqualTo("opaque-token");
    assertThat(second.principalName()).isEmpty();
    assertThat(second.lifetimeMs())
        .isBetween(
            before + OAuthBearerTokenHandler.OPAQUE_TOKEN_LIFETIME.toMillis(),
            System.currentTimeMillis() + OAuthBearerTokenHandler.OPAQUE_TOKEN_LIFETIME.toMillis());
  }

  @Test
  void aSourceWithoutATokenFailsTheLoginAndOtherCallbacksAreRefused() {
    OAuthBearerTokenHandler h = handler(Optional::empty);
    assertThatThrownBy(() -> login(h))
        .isInstanceOf(IOException.class)
        .hasMessage("the oauthbearer_token_source extension holds no token");
    assertThatThrownBy(() -> h.handle(new Callback[] {new NameCallback("n")}))
        .isInstanceOf(UnsupportedCallbackException.class);
    assertThatThrownBy(
            () -> new OAuthBearerTokenHandler().configure(Map.of(), "OAUTHBEARER", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SASL OAUTHBEARER: no token source was handed to the Kafka client");
  }
}
