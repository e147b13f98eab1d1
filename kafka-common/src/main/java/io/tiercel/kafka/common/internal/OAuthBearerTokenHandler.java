package io.tiercel.kafka.common.internal;

import io.tiercel.core.extension.auth.TokenSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredJws;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka client's {@code OAUTHBEARER} login callback handler: answers each login with the
 * current token of the extension named by {@code auth.sasl.oauthbearer_token_source}. The client
 * builds this class by name, so the extension reaches it as the client property {@link
 * #TOKEN_SOURCE}; its {@code sasl.} prefix makes it part of the key under which Kafka shares one
 * login between clients, so two token sources never share a login.
 */
public final class OAuthBearerTokenHandler implements AuthenticateCallbackHandler {
  /** The client property that carries the {@link TokenSource}. */
  public static final String TOKEN_SOURCE = "sasl.tiercel.oauthbearer.token.source";

  /**
   * How long a token without a readable {@code exp} claim is used before the source is read again.
   */
  static final Duration OPAQUE_TOKEN_LIFETIME = Duration.ofHours(1);

  private @Nullable TokenSource source;

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasEntries) {
    if (!(configs.get(TOKEN_SOURCE) instanceof TokenSource s)) {
      throw new IllegalArgumentException(
          "SASL OAUTHBEARER: no token source was handed to the Kafka client");
    }
    this.source = s;
  }

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    for (Callback c : callbacks) {
      if (c instanceof OAuthBearerTokenCallback t) {
        TokenSource s = source;
        String value = s == null ? null : s.currentToken().orElse(null);
        if (value == null) {
          throw new IOException("the oauthbearer_token_source extension holds no token");
        }
        t.token(token(value, System.currentTimeMillis()));
      } else if (!(c instanceof SaslExtensionsCallback)) {
        // SASL extensions stay empty: the collector's keys configure none
        throw new UnsupportedCallbackException(c);
      }
    }
  }

  /**
   * The token for {@code value}: a JWT's {@code sub} and {@code exp} claims give its principal and
   * lifetime (Kafka refreshes the login before it ends); an opaque token is used for {@link
   * #OPAQUE_TOKEN_LIFETIME}.
   */
  static OAuthBearerToken token(String value, long nowMs) {
    String principal = "";
    long lifetimeMs = nowMs + OPAQUE_TOKEN_LIFETIME.toMillis();
    String[] parts = value.split("\\.", -1);
    if (parts.length == 3) {
      try {
        Map<String, Object> claims = OAuthBearerUnsecuredJws.toMap(parts[1]);
        if (claims.get("sub") instanceof String sub) {
          principal = sub;
        }
        if (claims.get("exp") instanceof Number exp) {
          lifetimeMs = (long) (exp.doubleValue() * 1000);
        }
      } catch (RuntimeException notJson) {
        // not a JWT with a JSON payload: an opaque token, sent as it is
      }
    }
    return new Token(value, principal, lifetimeMs, nowMs);
  }

  @Override
  public void close() {
    source = null;
  }

  private record Token(String value, String principalName, long lifetimeMs, long startMs)
      implements OAuthBearerToken {
    @Override
    public Set<String> scope() {
      return Set.of();
    }

    @Override
    public Long startTimeMs() {
      return startMs;
    }

    @Override
    public String toString() {
      return "OAuthBearerToken[principal=" + principalName + ", lifetimeMs=" + lifetimeMs + "]";
    }
  }
}
