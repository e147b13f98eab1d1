package io.tiercel.kafka.common.config;

/** The client's {@code security.protocol}, derived from {@code auth.sasl} and {@code tls}. */
public enum SecurityProtocol {
  PLAINTEXT,
  SSL,
  SASL_PLAINTEXT,
  SASL_SSL;

  /** The protocol for a client with or without SASL and TLS. */
  public static SecurityProtocol of(boolean sasl, boolean tls) {
    if (sasl) {
      return tls ? SASL_SSL : SASL_PLAINTEXT;
    }
    return tls ? SSL : PLAINTEXT;
  }
}
