package io.tiercel.kafka.common.internal;

import io.tiercel.core.util.Pem;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.auth.SslEngineFactory;

/**
 * The Kafka client's {@code ssl.engine.factory.class} behind {@code tls.insecure_skip_verify:
 * true}: TLS whose client engines accept any broker certificate chain and check no host name, as
 * the collector's {@code insecure_skip_verify} means. Kafka's supported extension point (KIP-519)
 * rather than a global security provider. It still presents a client certificate ({@code
 * ssl.keystore.certificate.chain} and {@code ssl.keystore.key} in PEM) and honours {@code
 * ssl.protocol} and {@code ssl.enabled.protocols}. Client side only; instantiated by the Kafka
 * client with the no-argument constructor.
 */
public final class TrustAllSslEngineFactory implements SslEngineFactory {
  private SSLContext context;
  private String[] protocols;

  @Override
  public void configure(Map<String, ?> configs) {
    String protocol = string(configs.get(SslConfigs.SSL_PROTOCOL_CONFIG), "TLSv1.3");
    Object enabled = configs.get(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG);
    if (enabled instanceof List<?> l && !l.isEmpty()) {
      protocols = l.stream().map(Object::toString).toArray(String[]::new);
    } else if (enabled instanceof String s && !s.isBlank()) {
      protocols = s.split("\\s*,\\s*");
    }
    String chain = string(configs.get(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG), null);
    String key = string(configs.get(SslConfigs.SSL_KEYSTORE_KEY_CONFIG), null);
    try {
      KeyManager[] keyManagers = null;
      if (chain != null && key != null) {
        keyManagers = Pem.keyManagers(chain, key, "tls.key_file");
      }
      SSLContext ctx = SSLContext.getInstance(protocol);
      ctx.init(keyManagers, new TrustManager[] {Pem.trustAll()}, null);
      context = ctx;
    } catch (GeneralSecurityException e) {
      throw new ConfigException("cannot set up TLS without verification: " + e.getMessage());
    }
  }

  private static String string(Object v, String dflt) {
    if (v instanceof Password p) {
      return p.value();
    }
    return v == null || v.toString().isBlank() ? dflt : v.toString();
  }

  /**
   * An engine for {@code peerHost}; {@code endpointIdentification} is ignored: no host-name check.
   */
  @Override
  public SSLEngine createClientSslEngine(
      String peerHost, int peerPort, String endpointIdentification) {
    SSLEngine e = context.createSSLEngine(peerHost, peerPort);
    e.setUseClientMode(true);
    if (protocols != null) {
      e.setEnabledProtocols(protocols);
    }
    return e;
  }

  @Override
  public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
    throw new UnsupportedOperationException("insecure_skip_verify is a client setting");
  }

  @Override
  public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
    return false;
  }

  @Override
  public Set<String> reconfigurableConfigs() {
    return Set.of();
  }

  /**
   * Null: the client key, when there is one, is only in the SSL context (nothing to reconfigure).
   */
  @Override
  public KeyStore keystore() {
    return null;
  }

  @Override
  public KeyStore truststore() {
    return null;
  }

  @Override
  public void close() {
    context = null;
  }
}
