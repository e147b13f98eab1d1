package io.tiercel.otlp.exporter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import io.tiercel.otlp.wire.TlsOptions;
import io.tiercel.otlp.wire.TrustAll;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Client {@code tls} of the OTLP exporters (the collector's {@code configtls.ClientConfig} keys).
 *
 * @param insecure plain text, no TLS (default false; an {@code http://} endpoint implies it)
 * @param insecureSkipVerify TLS without checking the server's certificate (testing only)
 * @param caFile PEM file of the CAs to trust instead of the JVM's
 * @param certFile PEM client certificate (mTLS), with {@code key_file}
 * @param keyFile PEM (PKCS#8) client key (mTLS)
 * @param serverNameOverride the name expected in the server certificate (and the authority)
 * @param caPem the CAs as PEM text instead of {@code ca_file}
 * @param certPem the client certificate as PEM text instead of {@code cert_file}
 * @param keyPem the client key as PEM text instead of {@code key_file} (a secret)
 * @param minVersion lowest TLS version: 1.0, 1.1, 1.2 (default) or 1.3
 * @param maxVersion highest TLS version (default 1.3)
 * @param cipherSuites TLS 1.2 and lower suites to offer, by IANA name (default: the runtime's)
 * @param includeInsecureCipherSuites allow the suites the collector calls insecure in {@code
 *     cipher_suites}
 * @param includeSystemCaCertsPool trust the system CAs beside {@code ca_file}/{@code ca_pem}
 * @param reloadInterval reread {@code cert_file}/{@code key_file} this often (default: never)
 */
public record ClientTls(
    boolean insecure,
    boolean insecureSkipVerify,
    @Nullable String caFile,
    @Nullable String certFile,
    @Nullable String keyFile,
    @Nullable String serverNameOverride,
    @Nullable Secret caPem,
    @Nullable Secret certPem,
    @Nullable Secret keyPem,
    @Nullable String minVersion,
    @Nullable String maxVersion,
    List<String> cipherSuites,
    boolean includeInsecureCipherSuites,
    boolean includeSystemCaCertsPool,
    @Nullable Duration reloadInterval) {
  public static final ClientTls DEFAULT = new ClientTls(false, false, null, null, null, null);

  public ClientTls {
    cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
    if ((certFile == null) != (keyFile == null) && certPem == null && keyPem == null) {
      throw new InvalidValueException(
          certFile == null ? "cert_file" : "key_file",
          "cert_file and key_file must be set together");
    }
    options(
            caFile,
            caPem,
            certFile,
            certPem,
            keyFile,
            keyPem,
            minVersion,
            maxVersion,
            cipherSuites,
            includeInsecureCipherSuites,
            includeSystemCaCertsPool,
            reloadInterval)
        .checkPair();
  }

  /** The settings before the TLS version, cipher, PEM and reload keys existed. */
  public ClientTls(
      boolean insecure,
      boolean insecureSkipVerify,
      @Nullable String caFile,
      @Nullable String certFile,
      @Nullable String keyFile,
      @Nullable String serverNameOverride) {
    this(
        insecure,
        insecureSkipVerify,
        caFile,
        certFile,
        keyFile,
        serverNameOverride,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        false,
        false,
        null);
  }

  private static TlsOptions options(
      @Nullable String caFile,
      @Nullable Secret caPem,
      @Nullable String certFile,
      @Nullable Secret certPem,
      @Nullable String keyFile,
      @Nullable Secret keyPem,
      @Nullable String minVersion,
      @Nullable String maxVersion,
      List<String> cipherSuites,
      boolean includeInsecureCipherSuites,
      boolean includeSystemCaCertsPool,
      @Nullable Duration reloadInterval) {
    return new TlsOptions(
        caFile,
        caPem,
        certFile,
        certPem,
        keyFile,
        keyPem,
        minVersion,
        maxVersion,
        cipherSuites,
        includeInsecureCipherSuites,
        includeSystemCaCertsPool,
        reloadInterval);
  }

  /** The shared TLS settings of this config. */
  TlsOptions options() {
    return options(
        caFile,
        caPem,
        certFile,
        certPem,
        keyFile,
        keyPem,
        minVersion,
        maxVersion,
        cipherSuites,
        includeInsecureCipherSuites,
        includeSystemCaCertsPool,
        reloadInterval);
  }

  /** The trust manager to use: trust-all, the configured CAs', or the JVM default. */
  X509TrustManager trustManager() throws IOException, GeneralSecurityException {
    return insecureSkipVerify ? TrustAll.INSTANCE : options().trustManager();
  }

  /** Key managers for mTLS, or null without a client certificate. */
  KeyManager @Nullable [] keyManagers() throws IOException, GeneralSecurityException {
    KeyManager km = options().keyManager();
    return km == null ? null : new KeyManager[] {km};
  }

  /** An SSL context from this config. */
  SSLContext sslContext() throws IOException, GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keyManagers(), new TrustManager[] {trustManager()}, null);
    return ctx;
  }
}
