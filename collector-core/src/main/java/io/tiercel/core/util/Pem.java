package io.tiercel.core.util;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * PEM certificates and PKCS#8 keys for the TLS clients (the collector's {@code configtls} files),
 * and the trust-all trust manager behind {@code insecure_skip_verify}. Stateless and thread-safe.
 */
public final class Pem {
  private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
  private static final String END_KEY = "-----END PRIVATE KEY-----";

  private Pem() {}

  /** The certificates of a PEM text ({@code BEGIN CERTIFICATE} blocks), in order. */
  public static X509Certificate[] certificates(String pem) throws GeneralSecurityException {
    X509Certificate[] out =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
            .stream()
            .map(X509Certificate.class::cast)
            .toArray(X509Certificate[]::new);
    if (out.length == 0) {
      throw new GeneralSecurityException(
          "no certificate found (expected PEM BEGIN CERTIFICATE blocks)");
    }
    return out;
  }

  /**
   * An unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}): RSA, EC or Ed25519.
   *
   * @param key the config key the text came from, for the error message
   */
  public static PrivateKey privateKey(String pem, String key) throws GeneralSecurityException {
    int b = pem.indexOf(BEGIN_KEY);
    int e = pem.indexOf(END_KEY);
    if (b < 0 || e < b) {
      throw new GeneralSecurityException(
          key
              + " must hold a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert with "
              + "'openssl pkcs8 -topk8 -nocrypt'");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(b + BEGIN_KEY.length(), e));
    } catch (IllegalArgumentException notBase64) {
      throw new GeneralSecurityException(key + ": the PEM key is not valid base64");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (InvalidKeySpecException tryNext) {
        // not this algorithm
      }
    }
    throw new GeneralSecurityException(
        key + ": unsupported private key algorithm (RSA, EC or Ed25519)");
  }

  /** Key managers presenting {@code chainPem} with {@code keyPem} (mutual TLS). */
  public static KeyManager[] keyManagers(String chainPem, String keyPem, String key)
      throws GeneralSecurityException {
    X509Certificate[] chain = certificates(chainPem);
    PrivateKey pk = privateKey(keyPem, key);
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      ks.load(null, null);
    } catch (IOException impossible) {
      throw new GeneralSecurityException("cannot create an empty key store", impossible);
    }
    char[] pw = new char[0];
    ks.setKeyEntry("client", pk, pw, chain);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    return kmf.getKeyManagers();
  }

  /**
   * A trust manager that accepts every certificate chain: {@code insecure_skip_verify}. It must be
   * paired with no host-name check; for testing only.
   */
  public static X509TrustManager trustAll() {
    return TrustAll.INSTANCE;
  }

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
