package io.tiercel.kafka.common.config;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code tls}: TLS to the brokers, with the collector's {@code configtls} client keys. Present
 * (even empty) means TLS is on, unless {@code insecure} is true and no CA is given.
 *
 * @param insecure no TLS at all when no CA is given (the collector's meaning)
 * @param insecureSkipVerify verify neither the brokers' certificate chain nor their host name (the
 *     collector's meaning; any CA given is then unused). For testing only: a WARN says so when a
 *     component starts
 * @param caFile PEM file of the CA certificates to trust (default: the JVM's trust store)
 * @param caPem the same, inline
 * @param certFile PEM file of the client certificate chain (mutual TLS)
 * @param certPem the same, inline
 * @param keyFile PEM file of the client's PKCS#8 private key
 * @param keyPem the same, inline (never printed)
 * @param minVersion lowest TLS version, {@code 1.0} to {@code 1.3} (default 1.2)
 * @param maxVersion highest TLS version (default: the highest the JVM supports)
 * @param serverNameOverride not supported by the Java client; rejected when set
 */
public record TlsConfig(
    boolean insecure,
    boolean insecureSkipVerify,
    @Nullable String caFile,
    @Nullable String caPem,
    @Nullable String certFile,
    @Nullable String certPem,
    @Nullable String keyFile,
    @Nullable Secret keyPem,
    @Nullable String minVersion,
    @Nullable String maxVersion,
    @Nullable String serverNameOverride) {
  static final List<String> VERSIONS = List.of("1.0", "1.1", "1.2", "1.3");

  public TlsConfig {
    caFile = blankToNull(caFile);
    caPem = blankToNull(caPem);
    certFile = blankToNull(certFile);
    certPem = blankToNull(certPem);
    keyFile = blankToNull(keyFile);
    keyPem = keyPem == null || keyPem.isEmpty() ? null : keyPem;
    minVersion = blankToNull(minVersion);
    maxVersion = blankToNull(maxVersion);
    if (caFile != null && caPem != null) {
      throw new InvalidValueException("ca_pem", "set either ca_file or ca_pem, not both");
    }
    if (certFile != null && certPem != null) {
      throw new InvalidValueException("cert_pem", "set either cert_file or cert_pem, not both");
    }
    if (keyFile != null && keyPem != null) {
      throw new InvalidValueException("key_pem", "set either key_file or key_pem, not both");
    }
    boolean hasCert = certFile != null || certPem != null;
    boolean hasKey = keyFile != null || keyPem != null;
    if (hasCert != hasKey) {
      throw new InvalidValueException(
          hasCert ? "key_file" : "cert_file",
          "a client certificate needs both a certificate and a key");
    }
    if (minVersion != null && !VERSIONS.contains(minVersion)) {
      throw new InvalidValueException(
          "min_version", "\"" + minVersion + "\" is not one of 1.0, 1.1, 1.2, 1.3");
    }
    if (maxVersion != null && !VERSIONS.contains(maxVersion)) {
      throw new InvalidValueException(
          "max_version", "\"" + maxVersion + "\" is not one of 1.0, 1.1, 1.2, 1.3");
    }
    if (minVersion != null
        && maxVersion != null
        && VERSIONS.indexOf(minVersion) > VERSIONS.indexOf(maxVersion)) {
      throw new InvalidValueException(
          "max_version", "must not be below min_version (" + minVersion + ")");
    }
    if (serverNameOverride != null && !serverNameOverride.isEmpty()) {
      throw new InvalidValueException(
          "server_name_override", "is not supported by the Kafka Java client");
    }
  }

  /** An empty block: TLS on, the JVM's trust store, no client certificate. */
  public static TlsConfig enabled() {
    return new TlsConfig(false, false, null, null, null, null, null, null, null, null, null);
  }

  /** True when this block turns TLS on (see the class documentation). */
  public boolean active() {
    return !(insecure && caFile == null && caPem == null);
  }

  /** The TLS protocol names to enable, e.g. {@code [TLSv1.2, TLSv1.3]}. */
  public List<String> protocols() {
    int lo = VERSIONS.indexOf(minVersion != null ? minVersion : "1.2");
    int hi = VERSIONS.indexOf(maxVersion != null ? maxVersion : "1.3");
    return VERSIONS.subList(lo, hi + 1).stream().map(v -> "TLSv" + v).toList();
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
