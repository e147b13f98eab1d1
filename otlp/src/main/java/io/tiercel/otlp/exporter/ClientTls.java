package io.tiercel.otlp.exporter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.util.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
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
    boolean insecure,
    boolean insecureSkipVerify,
    String caFile,
    String certFile,
    String keyFile,
    String serverNameOverride) {
  public static final ClientTls DEFAULT = new ClientTls(false, false, null, null, null, null);

  public ClientTls {
    if ((certFile == null) != (keyFile == null)) {
      throw new InvalidValueException(
          certFile == null ? "cert_file" : "key_file",
          "cert_file and key_file must be set together");
    }
  }

  /** The trust manager to use: trust-all, the CA file's, or the JVM default. */
  X509TrustManager trustManager() throws IOException, GeneralSecurityException {
    if (insecureSkipVerify) {
      return Pem.trustAll();
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile == null) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (X509Certificate c : Pem.certificates(read(caFile))) {
        ks.setCertificateEntry("ca-" + i++, c);
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
    return Pem.keyManagers(read(certFile), read(keyFile), "key_file");
  }

  /** An SSL context from this config. */
  SSLContext sslContext() throws IOException, GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keyManagers(), new TrustManager[] {trustManager()}, null);
    return ctx;
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
  }
}
