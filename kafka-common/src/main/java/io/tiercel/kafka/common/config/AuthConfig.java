package io.tiercel.kafka.common.config;

import org.jspecify.annotations.Nullable;

/**
 * {@code auth}: how the client authenticates.
 *
 * @param sasl SASL username/password authentication, or null for none
 * @param tls the collector's deprecated spelling of the top-level {@code tls}; used when the top
 *     level is not set
 */
public record AuthConfig(@Nullable SaslConfig sasl, @Nullable TlsConfig tls) {
  /** No authentication. */
  public static final AuthConfig NONE = new AuthConfig(null, null);
}
