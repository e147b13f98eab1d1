package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mTLS on both protocols, with certificates made at test time by the JDK's keytool (a child
 * process) and written as PEM (the private key as PKCS#8).
 */
@Tag("integration")
class OtlpTlsIT {
  @TempDir static Path dir;
  private static Pem server;
  private static Pem client;

  record Pem(Path cert, Path key) {
    byte[] certBytes() throws Exception {
      return Files.readAllBytes(cert);
    }

    byte[] keyBytes() throws Exception {
      return Files.readAllBytes(key);
    }
  }

  @BeforeAll
  static void makeCertificates() throws Exception {
    server = keypair("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    client = keypair("client", "CN=it-client", null);
  }

  @Test
  void tlsOnBothProtocols() throws Exception {
    OtlpReceiverConfig.Tls tls =
        new OtlpReceiverConfig.Tls(server.cert().toString(), server.key().toString(), null, null);
    try (ReceiverFixture fx = ReceiverFixture.of(config(tls))) {
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("https://127.0.0.1:" + fx.grpcPort())
              .setTrustedCertificates(server.certBytes())
              .setRetryPolicy(null)
              .setTimeout(Duration.ofSeconds(5))
              .build()) {
        assertThat(e.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      try (OtlpHttpSpanExporter e =
          OtlpHttpSpanExporter.builder()
              .setEndpoint("https://127.0.0.1:" + fx.httpPort() + "/v1/traces")
              .setTrustedCertificates(server.certBytes())
              .setRetryPolicy(null)
              .setTimeout(Duration.ofSeconds(5))
              .build()) {
        assertThat(e.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      assertThat(fx.traces.next().data().itemCount()).isEqualTo(2);
      assertThat(fx.traces.next().data().itemCount()).isEqualTo(2);
    }
  }

  @Test
  void mtlsRefusesAClientWithoutCertificate() throws Exception {
    OtlpReceiverConfig.Tls tls =
        new OtlpReceiverConfig.Tls(
            server.cert().toString(), server.key().toString(), client.cert().toString(), null);
    try (ReceiverFixture fx = ReceiverFixture.of(config(tls))) {
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("https://127.0.0.1:" + fx.grpcPort())
              .setTrustedCertificates(server.certBytes())
              .setClientTls(client.keyBytes(), client.certBytes())
              .setRetryPolicy(null)
              .setTimeout(Duration.ofSeconds(5))
              .build()) {
        assertThat(e.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      try (OtlpHttpSpanExporter e =
          OtlpHttpSpanExporter.builder()
              .setEndpoint("https://127.0.0.1:" + fx.httpPort() + "/v1/traces")
              .setTrustedCertificates(server.certBytes())
              .setClientTls(client.keyBytes(), client.certBytes())
              .setRetryPolicy(null)
              .setTimeout(Duration.ofSeconds(5))
              .build()) {
        assertThat(e.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      try (OtlpHttpSpanExporter e =
          OtlpHttpSpanExporter.builder()
              .setEndpoint("https://127.0.0.1:" + fx.httpPort() + "/v1/traces")
              .setTrustedCertificates(server.certBytes())
              .setRetryPolicy(null)
              .setTimeout(Duration.ofSeconds(5))
              .build()) {
        assertThat(e.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
      }
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("https://127.0.0.1:" + fx.grpcPort())
              .setTrustedCertificates(server.certBytes())
              .setRetryPolicy(null)
              .setTimeout(Duration.ofSeconds(5))
              .build()) {
        assertThat(e.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
      }
      assertThat(fx.traces.calls()).hasSize(2);
    }
  }

  private static OtlpReceiverConfig config(OtlpReceiverConfig.Tls tls) {
    return new OtlpReceiverConfig(
        new OtlpReceiverConfig.Protocols(
            new OtlpReceiverConfig.Grpc(
                "127.0.0.1:0", null, tls, null, null, null, null, null, false),
            new OtlpReceiverConfig.Http(
                "127.0.0.1:0", tls, null, null, false, null, null, null, null, null, null)));
  }

  /**
   * A self-signed RSA key pair made by keytool, written as {@code name.crt} and {@code name.key}
   * (PKCS#8).
   */
  private static Pem keypair(String name, String dname, String san) throws Exception {
    File store = dir.resolve(name + ".p12").toFile();
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                keytool,
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                dname,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.getPath(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit"));
    if (san != null) {
      cmd.addAll(List.of("-ext", san));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate(name);
    byte[] key = ks.getKey(name, "changeit".toCharArray()).getEncoded();
    Path certFile = dir.resolve(name + ".crt");
    Path keyFile = dir.resolve(name + ".key");
    Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", key));
    return new Pem(certFile, keyFile);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
