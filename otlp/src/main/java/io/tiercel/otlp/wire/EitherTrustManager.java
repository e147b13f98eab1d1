package io.tiercel.otlp.wire;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a chain that either of two trust managers trusts: the configured CAs and, with {@code
 * include_system_ca_certs_pool}, the system's (the collector adds its CAs to the system pool).
 */
final class EitherTrustManager implements X509TrustManager {
  private final X509TrustManager first;
  private final X509TrustManager second;

  EitherTrustManager(X509TrustManager first, X509TrustManager second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      first.checkClientTrusted(chain, authType);
    } catch (CertificateException notFirst) {
      second.checkClientTrusted(chain, authType);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      first.checkServerTrusted(chain, authType);
    } catch (CertificateException notFirst) {
      second.checkServerTrusted(chain, authType);
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return Stream.concat(
            Arrays.stream(first.getAcceptedIssuers()), Arrays.stream(second.getAcceptedIssuers()))
        .toArray(X509Certificate[]::new);
  }
}
