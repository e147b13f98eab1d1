package io.tiercel.kafka.common.config;

/**
 * {@code auth}: how the client authenticates.
 *
 * @param sasl SASL username/password authentication, or null for none
 * @param tls the collector's deprecated spelling of the top-level {@code tls}; used when the top
 *     level is not set
 */
public record AuthConfig(SaslConfig sasl, TlsConfig tls) {
  /** No authentication. */
  public static final AuthConfig NONE = new AuthConfig(null, null);
}
