package io.tiercel.kafka.common.config;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Host;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.extension.auth.TokenSource;
import io.tiercel.kafka.common.internal.OAuthBearerTokenHandler;
import io.tiercel.kafka.common.internal.TrustAllSslEngineFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.jspecify.annotations.Nullable;

/**
 * What the Kafka exporter and receiver share about reaching the cluster: brokers, client id,
 * authentication, TLS and metadata. The components' config records hold these keys at their top
 * level (the collector's shape) and build one of these; its compact constructor checks them with
 * the keys relative to that top level.
 *
 * @param brokers {@code host:port} of the bootstrap brokers (at least one)
 * @param clientId the client id (non-empty)
 * @param resolveCanonicalBootstrapServersOnly resolve then reverse-look-up broker addresses at
 *     start
 * @param connIdleTimeout close idle connections after this long ({@code connections.max.idle.ms})
 * @param auth authentication; {@link AuthConfig#NONE} for none
 * @param tls TLS, or null for plaintext ({@code auth.tls} is used when this is null)
 * @param metadata metadata refresh settings
 */
public record ClientConfig(
    List<String> brokers,
    String clientId,
    boolean resolveCanonicalBootstrapServersOnly,
    Duration connIdleTimeout,
    AuthConfig auth,
    @Nullable TlsConfig tls,
    MetadataConfig metadata) {

  public ClientConfig {
    if (brokers == null || brokers.isEmpty()) {
      throw new InvalidValueException("brokers", "must list at least one broker (host:port)");
    }
    brokers = List.copyOf(brokers);
    for (int i = 0; i < brokers.size(); i++) {
      String b = brokers.get(i);
      int colon = b == null ? -1 : b.lastIndexOf(':');
      if (colon <= 0 || !isPort(b.substring(colon + 1))) {
        throw new InvalidValueException("brokers[" + i + "]", "\"" + b + "\" is not host:port");
      }
    }
    if (clientId == null || clientId.isEmpty()) {
      throw new InvalidValueException("client_id", "must not be empty");
    }
    if (connIdleTimeout == null || connIdleTimeout.isNegative() || connIdleTimeout.isZero()) {
      throw new InvalidValueException(
          "conn_idle_timeout", "must be positive, got " + connIdleTimeout);
    }
    auth = auth == null ? AuthConfig.NONE : auth;
    metadata = metadata == null ? MetadataConfig.DEFAULT : metadata;
  }

  private static boolean isPort(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int p = Integer.parseInt(s);
    return p > 0 && p < 65536;
  }

  /**
   * The TLS block in effect: the top-level {@code tls}, else the deprecated {@code auth.tls}, else
   * null.
   */
  public @Nullable TlsConfig effectiveTls() {
    TlsConfig t = tls != null ? tls : auth.tls();
    return t != null && t.active() ? t : null;
  }

  /** The security protocol derived from SASL and TLS. */
  public SecurityProtocol securityProtocol() {
    return SecurityProtocol.of(auth.sasl() != null, effectiveTls() != null);
  }

  /**
   * The client properties for these settings. Reads the TLS PEM files named in the config, so call
   * it from {@code start}, not from a constructor, and once per client. The result holds secrets
   * (the JAAS line, the key): never log it. With {@code OAUTHBEARER} they carry the extension named
   * by {@code auth.sasl.oauthbearer_token_source}, looked up in {@code host}.
   *
   * @throws UncheckedIOException when a PEM file cannot be read (the message names the file and the
   *     key)
   * @throws IllegalStateException when the token source extension is missing or gives no tokens
   */
  public Map<String, Object> properties(Host host) {
    Map<String, Object> p = properties();
    SaslConfig sasl = auth.sasl();
    if (sasl != null && sasl.mechanism() == SaslMechanism.OAUTHBEARER) {
      ComponentId id = sasl.oauthbearerTokenSource();
      TokenSource source =
          host.extension(id, TokenSource.class)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "auth.sasl.oauthbearer_token_source: extension \""
                              + id
                              + "\" is not configured, not started, or holds no token"
                              + " (bearertokenauth does)"));
      p.put(OAuthBearerTokenHandler.TOKEN_SOURCE, source);
    }
    return p;
  }

  /**
   * The client properties without a token source: {@link #properties(Host)} for a client that uses
   * no extension. A client with {@code OAUTHBEARER} built from these fails at its first login.
   */
  public Map<String, Object> properties() {
    Map<String, Object> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", brokers));
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    p.put(CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS_CONFIG, connIdleTimeout.toMillis());
    p.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, metadata.refreshInterval().toMillis());
    if (resolveCanonicalBootstrapServersOnly) {
      p.put(
          CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, "resolve_canonical_bootstrap_servers_only");
    }
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol().name());
    SaslConfig sasl = auth.sasl();
    if (sasl != null) {
      p.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism().kafkaName());
      p.put(SaslConfigs.SASL_JAAS_CONFIG, sasl.jaasConfig());
      if (sasl.mechanism() == SaslMechanism.OAUTHBEARER) {
        p.put(
            SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, OAuthBearerTokenHandler.class.getName());
      }
    }
    TlsConfig t = effectiveTls();
    if (t != null) {
      p.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, String.join(",", t.protocols()));
      p.put(SslConfigs.SSL_PROTOCOL_CONFIG, t.protocols().get(t.protocols().size() - 1));
      String ca =
          t.caPem() != null
              ? t.caPem()
              : t.caFile() != null ? read(t.caFile(), "tls.ca_file") : null;
      if (t.insecureSkipVerify()) {
        // neither the chain nor the host name is checked (a CA, if given, is not needed)
        p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        p.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, TrustAllSslEngineFactory.class);
      } else if (ca != null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, ca);
      }
      if (t.certFile() != null || t.certPem() != null) {
        p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
        p.put(
            SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG,
            t.certPem() != null ? t.certPem() : read(t.certFile(), "tls.cert_file"));
        p.put(
            SslConfigs.SSL_KEYSTORE_KEY_CONFIG,
            t.keyPem() != null ? t.keyPem().value() : read(t.keyFile(), "tls.key_file"));
      }
    }
    return p;
  }

  /**
   * The client properties {@link #properties()} sets, each with the YAML key it comes from (the
   * broker list, which no passthrough may set, aside): a raw {@code producer_config} or {@code
   * consumer_config} property among them conflicts with that key. Reads no file.
   */
  public Map<String, String> ownedProperties() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put(CommonClientConfigs.CLIENT_ID_CONFIG, "client_id");
    o.put(CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS_CONFIG, "conn_idle_timeout");
    o.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, "metadata.refresh_interval");
    if (resolveCanonicalBootstrapServersOnly) {
      o.put(
          CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG, "resolve_canonical_bootstrap_servers_only");
    }
    o.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "auth.sasl and tls");
    if (auth.sasl() != null) {
      o.put(SaslConfigs.SASL_MECHANISM, "auth.sasl.mechanism");
      o.put(SaslConfigs.SASL_JAAS_CONFIG, "auth.sasl");
      if (auth.sasl().mechanism() == SaslMechanism.OAUTHBEARER) {
        o.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, "auth.sasl.oauthbearer_token_source");
      }
    }
    TlsConfig t = effectiveTls();
    if (t != null) {
      o.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, "tls.min_version and tls.max_version");
      o.put(SslConfigs.SSL_PROTOCOL_CONFIG, "tls.max_version");
      if (t.insecureSkipVerify()) {
        o.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "tls.insecure_skip_verify");
        o.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, "tls.insecure_skip_verify");
      } else if (t.caPem() != null || t.caFile() != null) {
        o.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "tls.ca_file");
        o.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, "tls.ca_file");
      }
      if (t.certFile() != null || t.certPem() != null) {
        o.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "tls.cert_file");
        o.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, "tls.cert_file");
        o.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, "tls.key_file");
      }
    }
    return o;
  }

  /**
   * The WARN line a component logs at start when {@code tls.insecure_skip_verify} is in effect,
   * else empty: the brokers' certificates are then not verified at all.
   */
  public Optional<String> insecureWarning() {
    TlsConfig t = effectiveTls();
    if (t == null || !t.insecureSkipVerify()) {
      return Optional.empty();
    }
    return Optional.of(
        "TLS certificate verification is off (tls.insecure_skip_verify: true): the certificate"
            + " chain and host name of brokers "
            + String.join(",", brokers)
            + " are not checked; use it for testing only");
  }

  /**
   * The message for a failed authentication to the brokers: which brokers, how (the SASL mechanism
   * and user, or the security protocol; never the password), and why, with the certificate problem
   * spelled out for a TLS handshake failure (Kafka's own message is only "SSL handshake failed").
   */
  public String authenticationFailure(AuthenticationException failure) {
    SaslConfig sasl = auth.sasl();
    String how =
        sasl != null
            ? sasl.mechanism() == SaslMechanism.OAUTHBEARER
                ? "SASL OAUTHBEARER with the token of extension \""
                    + sasl.oauthbearerTokenSource()
                    + "\""
                : "SASL " + sasl.mechanism() + " as user \"" + sasl.username() + "\""
            : securityProtocol().name();
    String why =
        failure instanceof SslAuthenticationException ? tlsFailure(failure) : failure.getMessage();
    return "authentication to brokers "
        + String.join(",", brokers)
        + " failed ("
        + how
        + "): "
        + why;
  }

  private static String tlsFailure(Throwable failure) {
    Throwable root = failure;
    boolean untrusted = false;
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 20; depth++) { // bounded: cause chains can loop
      untrusted |= t instanceof CertPathBuilderException || t instanceof CertPathValidatorException;
      root = t;
      t = t.getCause() == t ? null : t.getCause();
    }
    if (untrusted) {
      return failure.getMessage()
          + ": the broker's certificate is not trusted ("
          + root.getMessage()
          + "); set tls.ca_file to the CA that signed it (or tls.insecure_skip_verify: true, for"
          + " testing only)";
    }
    return root == failure
        ? failure.getMessage()
        : failure.getMessage() + " (" + root.getMessage() + ")";
  }

  private static String read(String file, String key) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(key + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
