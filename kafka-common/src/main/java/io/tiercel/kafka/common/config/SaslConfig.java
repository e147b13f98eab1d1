package io.tiercel.kafka.common.config;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import org.jspecify.annotations.Nullable;

/**
 * {@code auth.sasl}: username/password authentication, or {@code OAUTHBEARER} with a token from an
 * extension.
 *
 * @param username the user (required for PLAIN and SCRAM)
 * @param password the password (required for PLAIN and SCRAM; never printed)
 * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512} or {@code
 *     OAUTHBEARER} (required)
 * @param version the SASL handshake version, 0 or 1; accepted for the collector's configs and
 *     ignored: the Java client negotiates it
 * @param oauthbearerTokenSource for {@code OAUTHBEARER} (required there): the id of the extension
 *     whose token the client presents, read again at every login
 */
public record SaslConfig(
    @Nullable String username,
    @Nullable Secret password,
    SaslMechanism mechanism,
    int version,
    @Nullable ComponentId oauthbearerTokenSource) {
  public SaslConfig {
    if (mechanism == null) {
      throw new InvalidValueException(
          "mechanism", "must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER");
    }
    if (mechanism == SaslMechanism.OAUTHBEARER) {
      if (oauthbearerTokenSource == null) {
        throw new InvalidValueException(
            "oauthbearer_token_source", "must be set when auth.sasl.mechanism is OAUTHBEARER");
      }
    } else {
      if (username == null || username.isEmpty()) {
        throw new InvalidValueException("username", "must be set when auth.sasl is configured");
      }
      if (password == null || password.isEmpty()) {
        throw new InvalidValueException("password", "must be set when auth.sasl is configured");
      }
    }
    if (version != 0 && version != 1) {
      throw new InvalidValueException("version", "must be 0 or 1, got " + version);
    }
  }

  /**
   * Username/password authentication ({@code PLAIN}, {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}).
   */
  public SaslConfig(String username, Secret password, SaslMechanism mechanism, int version) {
    this(username, password, mechanism, version, null);
  }

  /** {@code OAUTHBEARER} with the token of extension {@code tokenSource}. */
  public static SaslConfig oauthBearer(ComponentId tokenSource) {
    return new SaslConfig(null, null, SaslMechanism.OAUTHBEARER, 0, tokenSource);
  }

  /**
   * The client's {@code sasl.jaas.config} line. For PLAIN and SCRAM it contains the password: hand
   * it to the client only, never log it. For {@code OAUTHBEARER} it holds no secret: the token
   * comes from the token source at each login.
   */
  public String jaasConfig() {
    if (mechanism == SaslMechanism.OAUTHBEARER) {
      return mechanism.loginModule() + " required;";
    }
    return mechanism.loginModule()
        + " required username=\""
        + escape(username)
        + "\" password=\""
        + escape(password.value())
        + "\";";
  }

  // The JAAS parser reads quoted strings with backslash escapes.
  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
