package io.tiercel.kafka.common.config;

import io.tiercel.core.config.Key;

/**
 * The SASL mechanisms: three with a username and password, and {@code OAUTHBEARER} with a token
 * from an extension.
 */
public enum SaslMechanism {
  @Key("PLAIN")
  PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
  @Key("SCRAM-SHA-256")
  SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
  @Key("SCRAM-SHA-512")
  SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"),
  @Key("OAUTHBEARER")
  OAUTHBEARER("OAUTHBEARER", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule");

  private final String kafkaName;
  private final String loginModule;

  SaslMechanism(String kafkaName, String loginModule) {
    this.kafkaName = kafkaName;
    this.loginModule = loginModule;
  }

  /** The value of the client's {@code sasl.mechanism}. */
  public String kafkaName() {
    return kafkaName;
  }

  /** The JAAS login module class for {@code sasl.jaas.config}. */
  public String loginModule() {
    return loginModule;
  }

  @Override
  public String toString() {
    return kafkaName;
  }
}
