package io.tiercel.otlp.exporter;

import io.tiercel.core.config.InvalidValueException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Client {@code tls} of the OTLP exporters (the collector's keys).
 *
 * @param insecure plain text, no TLS (default false; an {@code http://} endpoint implies it)
 * @param insecureSkipVerify TLS without checking the server's certificate (testing only)
 * @param caFile PEM file of the CAs to trust instead of the JVM's
 * @param certFile PEM client certificate (mTLS), with {@code key_file}
 * @param keyFile PEM (PKCS#8) client key (mTLS)
 * @param serverNameOverride the name expected in the server certificate (and the authority)
 */
public record ClientTls(
    boolean insecure, boolean insecureSkipVerify, String caFile, String certFile, String keyFile,
    String serverNameOverride) {
  public static final ClientTls DEFAULT = new ClientTls(false, false, null, null, null, null);

  public ClientTls {
    if ((certFile == null) != (keyFile == null)) {
      throw new InvalidValueException(certFile == null ? "cert_file" : "key_file",
          "cert_file and key_file must be set together");
    }
  }

  /** The trust manager to use: trust-all, the CA file's, or the JVM default. */
  X509TrustManager trustManager() throws IOException, GeneralSecurityException {
    if (insecureSkipVerify) {
      return TrustAll.INSTANCE;
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile == null) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      try (InputStream in = Files.newInputStream(Path.of(caFile))) {
        int i = 0;
        for (X509Certificate c : certificates(in)) {
          ks.setCertificateEntry("ca-" + i++, c);
        }
      }
      tmf.init(ks);
    }
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager available");
  }

  /** Key managers for mTLS, or null without a client certificate. */
  KeyManager[] keyManagers() throws IOException, GeneralSecurityException {
    if (certFile == null) {
      return null;
    }
    X509Certificate[] chain;
    PrivateKey key;
    try (InputStream c = Files.newInputStream(Path.of(certFile)); InputStream k = Files.newInputStream(Path.of(keyFile))) {
      chain = certificates(c);
      key = privateKey(k);
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    char[] pw = new char[0];
    ks.setKeyEntry("client", key, pw, chain);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    return kmf.getKeyManagers();
  }

  /** An SSL context from this config. */
  SSLContext sslContext() throws IOException, GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keyManagers(), new TrustManager[] {trustManager()}, null);
    return ctx;
  }

  private static X509Certificate[] certificates(InputStream in) throws GeneralSecurityException {
    return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
        .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
  }

  /** A PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
  private static PrivateKey privateKey(InputStream in) throws IOException, GeneralSecurityException {
    String pem = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    int b = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int e = pem.indexOf("-----END PRIVATE KEY-----");
    if (b < 0 || e < 0) {
      throw new GeneralSecurityException("key_file must hold a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert with "
          + "'openssl pkcs8 -topk8 -nocrypt'");
    }
    byte[] der = java.util.Base64.getMimeDecoder().decode(pem.substring(b + 27, e));
    var spec = new java.security.spec.PKCS8EncodedKeySpec(der);
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return java.security.KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (java.security.spec.InvalidKeySpecException tryNext) {
        // not this algorithm
      }
    }
    throw new GeneralSecurityException("key_file: unsupported private key algorithm");
  }

  /** Trusts every certificate: {@code insecure_skip_verify}. */
  private static final class TrustAll implements X509TrustManager {
    static final TrustAll INSTANCE = new TrustAll();

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
