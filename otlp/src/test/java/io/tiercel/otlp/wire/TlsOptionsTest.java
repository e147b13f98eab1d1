package io.tiercel.otlp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsOptionsTest {
  @TempDir Path dir;

  private static TlsOptions versions(String min, String max) {
    return new TlsOptions(null, null, null, null, null, null, min, max, null, false, false, null);
  }

  private static TlsOptions suites(List<String> suites, boolean insecure) {
    return new TlsOptions(
        null, null, null, null, null, null, null, null, suites, insecure, false, null);
  }

  @Test
  void versionsAsTheCollectorNamesThem() {
    assertThat(versions(null, null).protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(versions("1.0", "1.1").protocols()).containsExactly("TLSv1", "TLSv1.1");
    assertThat(versions("1.3", null).protocols()).containsExactly("TLSv1.3");
    assertThatThrownBy(() -> versions("asd", null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("unsupported TLS version: \"asd\" (one of 1.0, 1.1, 1.2, 1.3)")
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("min_version");
    assertThatThrownBy(() -> versions(null, "1.4"))
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("max_version");
    assertThatThrownBy(() -> versions("1.3", "1.2"))
        .hasMessage("invalid TLS configuration: min_version cannot be greater than max_version");
  }

  @Test
  void cipherSuitesAreGosNamesAndTls13SuitesStayOn() {
    assertThat(suites(List.of(), false).ciphers()).isNull();
    assertThat(suites(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), false).ciphers())
        .containsExactly(
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    assertThatThrownBy(() -> suites(List.of("TLS_RSA_WITH_AES_128_GCM_SHA256"), false))
        .hasMessage("invalid TLS cipher suite: \"TLS_RSA_WITH_AES_128_GCM_SHA256\"");
    assertThat(suites(List.of("TLS_RSA_WITH_AES_128_GCM_SHA256"), true).ciphers())
        .startsWith("TLS_RSA_WITH_AES_128_GCM_SHA256");
    assertThatThrownBy(() -> suites(List.of("NOPE"), true))
        .hasMessage("invalid TLS cipher suite: \"NOPE\"");
  }

  @Test
  void fileAndPemAreExclusiveAndCertNeedsKey() {
    assertThatThrownBy(
            () ->
                new TlsOptions(
                    "ca.pem",
                    Secret.of("x"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    false,
                    null))
        .hasMessage("provide either a CA file or the PEM-encoded string, but not both");
    TlsOptions certOnly =
        new TlsOptions(
            null, null, null, Secret.of("x"), null, null, null, null, null, false, false, null);
    assertThatThrownBy(certOnly::checkPair)
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("key_file");
  }

  @Test
  void reloadIntervalRereadsTheCertificateFiles() throws Exception {
    Certificates.Pair a = Certificates.make(dir, "a", "CN=first", null);
    Path cert = dir.resolve("live.crt");
    Path key = dir.resolve("live.key");
    Files.copy(a.cert(), cert);
    Files.copy(a.key(), key);
    TlsOptions o =
        new TlsOptions(
            null,
            null,
            cert.toString(),
            null,
            key.toString(),
            null,
            null,
            null,
            null,
            false,
            false,
            Duration.ofMillis(1));
    X509ExtendedKeyManager km = o.keyManager();
    assertThat(subject(km)).isEqualTo("CN=first");
    Certificates.Pair b = Certificates.make(dir, "b", "CN=second", null);
    Files.copy(b.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(b.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Thread.sleep(5);
    assertThat(subject(km)).isEqualTo("CN=second");

    TlsOptions never =
        new TlsOptions(
            null,
            null,
            cert.toString(),
            null,
            key.toString(),
            null,
            null,
            null,
            null,
            false,
            false,
            null);
    X509ExtendedKeyManager fixed = never.keyManager();
    Files.copy(a.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(a.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Thread.sleep(5);
    assertThat(subject(fixed)).as("no reload_interval: read once").isEqualTo("CN=second");
  }

  private static String subject(X509ExtendedKeyManager km) {
    String alias = km.chooseClientAlias(new String[] {"RSA"}, null, null);
    assertThat(km.getPrivateKey(alias)).isNotNull();
    return km.getCertificateChain(alias)[0].getSubjectX500Principal().getName();
  }

  @Test
  void clientCaFileReloadFollowsTheFile() throws Exception {
    Certificates.Pair a = Certificates.make(dir, "ca-a", "CN=client-a", null);
    Certificates.Pair b = Certificates.make(dir, "ca-b", "CN=client-b", null);
    X509Certificate certA = chain(a);
    X509Certificate certB = chain(b);
    Path ca = dir.resolve("clients.pem");
    Files.copy(a.cert(), ca);
    X509TrustManager reloading = TlsOptions.clientCaTrust(ca.toString(), true);
    X509TrustManager fixed = TlsOptions.clientCaTrust(ca.toString(), false);
    reloading.checkClientTrusted(new X509Certificate[] {certA}, "RSA");
    assertThatThrownBy(() -> reloading.checkClientTrusted(new X509Certificate[] {certB}, "RSA"))
        .isInstanceOf(CertificateException.class);
    Files.copy(b.cert(), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(ca, FileTime.from(Instant.now().plusSeconds(5)));
    reloading.checkClientTrusted(new X509Certificate[] {certB}, "RSA");
    assertThatThrownBy(() -> fixed.checkClientTrusted(new X509Certificate[] {certB}, "RSA"))
        .as("without client_ca_file_reload the first CAs stay")
        .isInstanceOf(CertificateException.class);
  }

  private static X509Certificate chain(Certificates.Pair p) throws Exception {
    return io.tiercel.core.util.Pem.certificates(p.certText())[0];
  }
}
