package io.tiercel.otlp.wire;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import io.tiercel.core.util.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The settings the collector's {@code configtls} client and server share, checked as the collector
 * checks them and turned into JSSE objects: the enabled protocol versions ({@code min_version},
 * {@code max_version}), cipher suites ({@code cipher_suites}, {@code
 * include_insecure_cipher_suites}), the CA pool ({@code ca_file} or {@code ca_pem}, with {@code
 * include_system_ca_certs_pool}) and the own certificate ({@code cert_file}/{@code cert_pem} with
 * {@code key_file}/{@code key_pem}, reread every {@code reload_interval}).
 *
 * @param caFile PEM file of CAs
 * @param caPem PEM text of CAs (instead of {@code caFile})
 * @param certFile PEM certificate chain
 * @param certPem PEM certificate chain text
 * @param keyFile PEM (PKCS#8) private key
 * @param keyPem PEM private key text (a secret)
 * @param minVersion lowest TLS version, {@code 1.0} to {@code 1.3} (default {@code 1.2})
 * @param maxVersion highest TLS version (default: the highest the runtime has, 1.3)
 * @param cipherSuites TLS 1.0-1.2 suites to allow, by their IANA names (empty: the runtime's)
 * @param includeInsecureCipherSuites also allow the suites the collector lists as insecure
 * @param includeSystemCaCertsPool trust the system's CAs beside {@code caFile}/{@code caPem}
 * @param reloadInterval reread the certificate and key files this often (null or zero: never)
 */
public record TlsOptions(
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

  /** The collector's version names and their JSSE protocol names, lowest first. */
  private static final Map<String, String> VERSIONS =
      Map.of("1.0", "TLSv1", "1.1", "TLSv1.1", "1.2", "TLSv1.2", "1.3", "TLSv1.3");

  private static final List<String> ORDER = List.of("1.0", "1.1", "1.2", "1.3");

  /**
   * TLS 1.3 suites: Go enables all of them whatever {@code cipher_suites} says, so they are always
   * allowed here too.
   */
  static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  /** The suites Go calls secure ({@code tls.CipherSuites()}), by IANA name. */
  static final Set<String> SECURE_SUITES =
      Set.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

  /** The suites Go calls insecure ({@code tls.InsecureCipherSuites()}). */
  static final Set<String> INSECURE_SUITES =
      Set.of(
          "TLS_RSA_WITH_RC4_128_SHA",
          "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
          "TLS_RSA_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_256_CBC_SHA",
          "TLS_RSA_WITH_AES_128_CBC_SHA256",
          "TLS_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
          "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
          "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");

  /** No TLS settings beyond the defaults. */
  public static final TlsOptions DEFAULT =
      new TlsOptions(null, null, null, null, null, null, null, null, null, false, false, null);

  /** Checks what the collector's {@code configtls.Config.Validate} checks, naming the key. */
  public TlsOptions {
    cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
    if (caFile != null && !caFile.isEmpty() && caPem != null && !caPem.isEmpty()) {
      throw new InvalidValueException(
          "ca_pem", "provide either a CA file or the PEM-encoded string, but not both");
    }
    if (certFile != null && !certFile.isEmpty() && certPem != null && !certPem.isEmpty()) {
      throw new InvalidValueException(
          "cert_pem", "provide either certificate file or PEM, but not both");
    }
    if (keyFile != null && !keyFile.isEmpty() && keyPem != null && !keyPem.isEmpty()) {
      throw new InvalidValueException("key_pem", "provide either key file or PEM, but not both");
    }
    int min = versionIndex("min_version", minVersion, 2);
    int max = versionIndex("max_version", maxVersion, ORDER.size() - 1);
    if (max < min) {
      throw new InvalidValueException(
          "max_version",
          "invalid TLS configuration: min_version cannot be greater than max_version");
    }
    for (String s : cipherSuites) {
      if (!SECURE_SUITES.contains(s)
          && !(includeInsecureCipherSuites && INSECURE_SUITES.contains(s))) {
        throw new InvalidValueException("cipher_suites", "invalid TLS cipher suite: \"" + s + "\"");
      }
    }
    if (reloadInterval != null && reloadInterval.isNegative()) {
      throw new InvalidValueException(
          "reload_interval", "must not be negative, got " + reloadInterval);
    }
  }

  private static int versionIndex(String key, @Nullable String v, int dflt) {
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    int i = ORDER.indexOf(v);
    if (i < 0) {
      throw new InvalidValueException(
          key, "unsupported TLS version: \"" + v + "\" (one of 1.0, 1.1, 1.2, 1.3)");
    }
    return i;
  }

  /** True when a certificate or key is configured (file or PEM). */
  public boolean hasCertificate() {
    return has(certFile) || has(certPem) || has(keyFile) || has(keyPem);
  }

  /** True when a CA is configured (file or PEM). */
  public boolean hasCa() {
    return has(caFile) || has(caPem);
  }

  /** Fails unless both certificate and key are given (or neither), naming the missing one. */
  public void checkPair() {
    boolean cert = has(certFile) || has(certPem);
    boolean key = has(keyFile) || has(keyPem);
    if (cert != key) {
      throw new InvalidValueException(
          cert ? "key_file" : "cert_file",
          "TLS configuration must include both certificate and key (cert_file/cert_pem and"
              + " key_file/key_pem)");
    }
  }

  /** The JSSE protocol names from {@code min_version} to {@code max_version}. */
  public String[] protocols() {
    int min = versionIndex("min_version", minVersion, 2);
    int max = versionIndex("max_version", maxVersion, ORDER.size() - 1);
    List<String> out = new ArrayList<>();
    for (int i = min; i <= max; i++) {
      out.add(VERSIONS.get(ORDER.get(i)));
    }
    return out.toArray(String[]::new);
  }

  /**
   * The cipher suites to enable, or null for the runtime's defaults: the listed ones plus every TLS
   * 1.3 suite (Go does not let TLS 1.3 suites be chosen).
   */
  public @Nullable List<String> ciphers() {
    if (cipherSuites.isEmpty()) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>(cipherSuites);
    out.addAll(TLS13_SUITES);
    return List.copyOf(out);
  }

  /**
   * The trust manager for the configured CAs (with the system's when {@code
   * include_system_ca_certs_pool}), or the system's alone when no CA is configured.
   */
  public X509TrustManager trustManager() throws IOException, GeneralSecurityException {
    X509TrustManager system = systemTrust();
    if (!hasCa()) {
      return system;
    }
    X509TrustManager own = trustManager(text(caFile, caPem));
    return includeSystemCaCertsPool ? new EitherTrustManager(own, system) : own;
  }

  /**
   * The trust manager that verifies clients against {@code client_ca_file}, rereading the file when
   * it changes if {@code reload} ({@code client_ca_file_reload}).
   */
  public static X509TrustManager clientCaTrust(String file, boolean reload)
      throws IOException, GeneralSecurityException {
    return new ReloadingTrustManager(Path.of(file), reload);
  }

  /** A trust manager for the certificates of {@code pem}. */
  static X509TrustManager trustManager(String pem) throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      ks.load(null, null);
    } catch (IOException impossible) {
      throw new GeneralSecurityException("cannot create an empty key store", impossible);
    }
    int i = 0;
    for (X509Certificate c : Pem.certificates(pem)) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return x509(tmf.getTrustManagers());
  }

  static X509TrustManager systemTrust() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    return x509(tmf.getTrustManagers());
  }

  private static X509TrustManager x509(TrustManager[] tms) throws GeneralSecurityException {
    for (TrustManager tm : tms) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager available");
  }

  /**
   * The key manager presenting the configured certificate, reread from its files every {@code
   * reload_interval}; null without a certificate.
   */
  public @Nullable X509ExtendedKeyManager keyManager()
      throws IOException, GeneralSecurityException {
    checkPair();
    if (!hasCertificate()) {
      return null;
    }
    boolean files = has(certFile) || has(keyFile);
    Duration every =
        files && reloadInterval != null && !reloadInterval.isZero() ? reloadInterval : null;
    return new ReloadingKeyManager(
        () -> Pem.keyManagers(text(certFile, certPem), text(keyFile, keyPem), "key_file"), every);
  }

  /** The text of a file setting, or of its PEM twin. */
  static String text(@Nullable String file, @Nullable Secret pem) throws IOException {
    if (has(file)) {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    }
    return pem == null ? "" : pem.value();
  }

  private static boolean has(@Nullable String s) {
    return s != null && !s.isEmpty();
  }

  private static boolean has(@Nullable Secret s) {
    return s != null && !s.isEmpty();
  }
}
