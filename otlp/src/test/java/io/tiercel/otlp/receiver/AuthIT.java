package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.config.EffectiveConfig;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.otlp.wire.Certificates;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticator extensions on real sockets: the OpenTelemetry SDK's OTLP exporters reach the
 * pipeline only with the right credentials (gRPC over TLS with a bearer token, HTTP with basic
 * auth), everyone else gets {@code UNAUTHENTICATED} / 401 and is counted; and Tiercel's own OTLP
 * exporters send their authenticator's credentials to a server that checks them.
 */
@Tag("integration")
class AuthIT {
  private static final String TOKEN = "tok-7f3a9c-secret";
  private static final String PASSWORD = "p@ss:word";
  // openssl passwd -apr1 -salt abcdefgh 'p@ss:word'
  private static final String APR1 = "$$apr1$$abcdefgh$$3vV72pWBK7yA0GpedWUOl/";

  @TempDir Path dir;
  private Certificates.Pair cert;
  private int grpcPort;
  private int httpPort;
  private Path out;
  private MetricsRegistry metrics;
  private Service backend;

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ServiceConfig load(Path file, String yaml) throws Exception {
    Files.writeString(file, yaml);
    return new ConfigLoader(ComponentRegistry.load(), v -> null)
        .load(List.of(file.toString()), List.of());
  }

  @BeforeEach
  void startBackend() throws Exception {
    cert = Certificates.make(dir, "server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    grpcPort = freePort();
    httpPort = freePort();
    out = dir.resolve("out.jsonl");
    ServiceConfig cfg =
        load(
            dir.resolve("backend.yaml"),
            """
            extensions:
              basicauth/server:
                htpasswd:
                  inline: |
                    alice:%s
              bearertokenauth/server:
                token: %s
            receivers:
              otlp:
                protocols:
                  grpc:
                    endpoint: 127.0.0.1:%d
                    tls: {cert_file: %s, key_file: %s}
                    auth: {authenticator: bearertokenauth/server}
                  http:
                    endpoint: 127.0.0.1:%d
                    auth: {authenticator: basicauth/server}
            exporters:
              file: {path: %s}
            service:
              extensions: [basicauth/server, bearertokenauth/server]
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], exporters: [file]}
            """
                .formatted(APR1, TOKEN, grpcPort, cert.cert(), cert.key(), httpPort, out));
    metrics = new MetricsRegistry();
    backend = new Service(cfg, BuildInfo.DEFAULT, metrics, Clock.systemUTC());
    backend.start();
  }

  @AfterEach
  void stopBackend() {
    if (backend != null) {
      backend.shutdown(Duration.ofSeconds(10));
    }
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private CompletableResultCode grpcExport(Map<String, String> headers) throws Exception {
    var b =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("https://localhost:" + grpcPort)
            .setTrustedCertificates(Files.readAllBytes(cert.cert()));
    headers.forEach(b::addHeader);
    try (OtlpGrpcSpanExporter e = b.build()) {
      return e.export(spans()).join(10, TimeUnit.SECONDS);
    }
  }

  private CompletableResultCode httpExport(Map<String, String> headers) throws Exception {
    var b =
        OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + httpPort + "/v1/traces");
    headers.forEach(b::addHeader);
    try (OtlpHttpSpanExporter e = b.build()) {
      return e.export(spans()).join(10, TimeUnit.SECONDS);
    }
  }

  private static List<SpanData> spans() {
    return SdkData.spans();
  }

  /** Spans in the backend's file. */
  private long spansWritten() throws Exception {
    if (!Files.exists(out)) {
      return 0;
    }
    long n = 0;
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      for (var rs :
          OtlpJson.decodeTraces(line.getBytes(StandardCharsets.UTF_8)).getResourceSpansList()) {
        for (var ss : rs.getScopeSpansList()) {
          n += ss.getSpansCount();
        }
      }
    }
    return n;
  }

  private Map<String, Long> refused() {
    Map<String, Long> m = new TreeMap<>();
    for (MetricSnapshot s : metrics.prometheus().scrape()) {
      if (s.getMetadata().getName().equals("otelcol_receiver_refused_requests")
          && s instanceof CounterSnapshot c) {
        c.getDataPoints()
            .forEach(
                p ->
                    m.put(
                        p.getLabels().get("transport") + "/" + p.getLabels().get("reason"),
                        (long) p.getValue()));
      }
    }
    return m;
  }

  private long waitForSpans(long expected) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long n = spansWritten();
    while (n < expected && System.nanoTime() < end) {
      Thread.sleep(50);
      n = spansWritten();
    }
    return n;
  }

  @Test
  void onlyClientsWithTheRightCredentialsReachThePipeline() throws Exception {
    int perExport = spans().size();
    assertThat(grpcExport(Map.of("authorization", "Bearer " + TOKEN)).isSuccess()).isTrue();
    assertThat(grpcExport(Map.of()).isSuccess()).isFalse();
    assertThat(grpcExport(Map.of("authorization", "Bearer wrong")).isSuccess()).isFalse();
    assertThat(httpExport(Map.of("Authorization", basic("alice", PASSWORD))).isSuccess()).isTrue();
    assertThat(httpExport(Map.of()).isSuccess()).isFalse();
    assertThat(httpExport(Map.of("Authorization", basic("alice", "guess"))).isSuccess()).isFalse();
    assertThat(httpExport(Map.of("Authorization", "Bearer " + TOKEN)).isSuccess()).isFalse();

    // the answers themselves: gRPC UNAUTHENTICATED, HTTP 401 with a google.rpc.Status body
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("localhost", grpcPort)
            .sslContext(GrpcSslContexts.forClient().trustManager(cert.cert().toFile()).build())
            .build();
    try {
      assertThatThrownBy(
              () ->
                  TraceServiceGrpc.newBlockingStub(ch)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .export(ExportTraceServiceRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription())
                    .isEqualTo("missing or empty authorization header: Authorization");
              });
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .header("Authorization", basic("mallory", PASSWORD))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(401);
    com.google.rpc.Status st = com.google.rpc.Status.parseFrom(r.body());
    assertThat(st.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED.value());
    assertThat(st.getMessage()).isEqualTo("invalid credentials");

    assertThat(waitForSpans(2L * perExport)).isEqualTo(2L * perExport);
    Thread.sleep(300); // nothing more arrives
    assertThat(spansWritten()).isEqualTo(2L * perExport);
    assertThat(refused())
        .containsEntry("grpc/unauthenticated", 3L)
        .containsEntry("http/unauthenticated", 4L);
  }

  @Test
  void exportersSendTheirAuthenticatorsCredentials() throws Exception {
    int frontHttp = freePort();
    Path pwFile = dir.resolve("password");
    Files.writeString(pwFile, PASSWORD + "\n");
    ServiceConfig cfg =
        load(
            dir.resolve("front.yaml"),
            """
            extensions:
              basicauth/client:
                client_auth: {username: alice, password_file: %s}
              bearertokenauth/client:
                token: %s
            receivers:
              otlp:
                protocols:
                  http: {endpoint: 127.0.0.1:%d}
            exporters:
              otlp_http:
                endpoint: http://127.0.0.1:%d
                auth: {authenticator: basicauth/client}
                retry_on_failure: {enabled: false}
              otlp_grpc:
                endpoint: https://localhost:%d
                tls: {ca_file: %s}
                auth: {authenticator: bearertokenauth/client}
                retry_on_failure: {enabled: false}
            service:
              extensions: [basicauth/client, bearertokenauth/client]
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], exporters: [otlp_http, otlp_grpc]}
            """
                .formatted(pwFile, TOKEN, frontHttp, httpPort, grpcPort, cert.cert()));
    // the printed config shows neither credential
    String printed = EffectiveConfig.toYaml(EffectiveConfig.tree(cfg));
    assertThat(printed).doesNotContain(TOKEN).contains("[REDACTED]");
    Service front = new Service(cfg, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    front.start();
    try {
      try (OtlpHttpSpanExporter e =
          OtlpHttpSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + frontHttp + "/v1/traces")
              .build()) {
        assertThat(e.export(spans()).join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
        // both exporters delivered: the backend let both in
        assertThat(waitForSpans(2L * spans().size())).isEqualTo(2L * spans().size());
        // a rotated password file is used at once; the backend does not know this one
        Files.writeString(pwFile, "rotated\n");
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean refusedAfterRotation = false;
        while (!refusedAfterRotation && System.nanoTime() < end) {
          refusedAfterRotation = refused().getOrDefault("http/unauthenticated", 0L) > 0;
          if (!refusedAfterRotation) {
            e.export(spans()).join(20, TimeUnit.SECONDS);
            Thread.sleep(200);
          }
        }
        assertThat(refusedAfterRotation).isTrue();
        assertThat(refused()).doesNotContainKey("grpc/unauthenticated");
      }
    } finally {
      front.shutdown(Duration.ofSeconds(10));
    }
  }

  @Test
  void anUnknownOrWrongKindAuthenticatorFailsTheStartNamingThePlace() throws Exception {
    ServiceConfig unknown =
        load(
            dir.resolve("unknown.yaml"),
            """
            receivers:
              otlp:
                protocols:
                  http: {endpoint: 127.0.0.1:%d, auth: {authenticator: basicauth/nope}}
            exporters:
              debug:
            service:
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], exporters: [debug]}
            """
                .formatted(freePort()));
    Service s1 = new Service(unknown, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    try {
      assertThatThrownBy(s1::start)
          .hasStackTraceContaining(
              "receivers.otlp.protocols.http.auth.authenticator: \"basicauth/nope\" is not a"
                  + " configured extension (add it under extensions and service.extensions)");
    } finally {
      s1.shutdown(Duration.ofSeconds(5));
    }
    ServiceConfig wrongKind =
        load(
            dir.resolve("kind.yaml"),
            """
            extensions:
              basicauth/server:
                htpasswd: {inline: "a:b"}
            receivers:
              otlp:
                protocols:
                  http: {endpoint: 127.0.0.1:%d}
            exporters:
              otlp_http:
                endpoint: http://127.0.0.1:%d
                auth: {authenticator: basicauth/server}
            service:
              extensions: [basicauth/server]
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], exporters: [otlp_http]}
            """
                .formatted(freePort(), httpPort));
    Service s2 =
        new Service(wrongKind, BuildInfo.DEFAULT, new MetricsRegistry(), Clock.systemUTC());
    try {
      assertThatThrownBy(s2::start)
          .hasStackTraceContaining(
              "exporters.otlp_http.auth.authenticator: \"basicauth/server\" is not a client"
                  + " authenticator (extension type basicauth)");
    } finally {
      s2.shutdown(Duration.ofSeconds(5));
    }
  }
}
