package io.tiercel.kafka.common.config;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;

/**
 * {@code auth.sasl}: username/password authentication.
 *
 * @param username the user (required)
 * @param password the password (required; never printed)
 * @param mechanism {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} (required)
 * @param version the SASL handshake version, 0 or 1; accepted for the collector's configs and
 *     ignored: the Java client negotiates it
 */
public record SaslConfig(String username, Secret password, SaslMechanism mechanism, int version) {
  public SaslConfig {
    if (username == null || username.isEmpty()) {
      throw new InvalidValueException("username", "must be set when auth.sasl is configured");
    }
    if (password == null || password.isEmpty()) {
      throw new InvalidValueException("password", "must be set when auth.sasl is configured");
    }
    if (mechanism == null) {
      throw new InvalidValueException(
          "mechanism", "must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    }
    if (version != 0 && version != 1) {
      throw new InvalidValueException("version", "must be 0 or 1, got " + version);
    }
  }

  /**
   * The client's {@code sasl.jaas.config} line. Contains the password: hand it to the client only,
   * never log it.
   */
  public String jaasConfig() {
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
