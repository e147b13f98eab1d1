package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.Secret;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.exporterhelper.Sizer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.otlp.receiver.OtlpReceiverConfig;
import io.tiercel.otlp.receiver.OtlpReceiverFactory;
import io.tiercel.otlp.wire.Certificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporters' collector options against our receiver over real sockets: every compression
 * (counted items arrive, under the encoding named), compression levels, TLS versions and cipher
 * suites that do and do not meet the server's, PEM client certificates, and keep-alives off.
 */
@Tag("integration")
class ExporterOptionsIT {
  private static final RetryConfig NO_RETRY =
      new RetryConfig(
          false, Duration.ofMillis(50), 0.2, 1.5, Duration.ofMillis(300), Duration.ofSeconds(1));
  private static final QueueConfig NO_QUEUE =
      new QueueConfig(false, 1, 10, Sizer.REQUESTS, false, true, null);

  @TempDir static Path dir;
  private static Certificates.Pair server;
  private static Certificates.Pair client;

  private final List<AutoCloseable> closers = new ArrayList<>();
  private final OtlpExportersIT.Sink<Traces> traces = new OtlpExportersIT.Sink<>();
  private final OtlpExportersIT.Sink<Metrics> metrics = new OtlpExportersIT.Sink<>();
  private final OtlpExportersIT.Sink<Logs> logs = new OtlpExportersIT.Sink<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    server = Certificates.make(dir, "server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    client = Certificates.make(dir, "client", "CN=it-client", null);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  /** Starts a receiver on free ports; returns {grpcPort, httpPort}. */
  private int[] receiver(OtlpReceiverConfig.Tls tls) throws Exception {
    int g = OtlpExportersIT.freePort();
    int h = OtlpExportersIT.freePort();
    var cfg =
        new OtlpReceiverConfig(
            new OtlpReceiverConfig.Protocols(
                new OtlpReceiverConfig.Grpc(
                    "127.0.0.1:" + g, null, tls, null, null, null, null, null, true),
                new OtlpReceiverConfig.Http(
                    "127.0.0.1:" + h, tls, null, null, true, null, null, null, null, null, null)));
    Receiver r =
        new OtlpReceiverFactory()
            .create(
                Settings.forTest(Kind.RECEIVER, ComponentId.of("otlp"), null),
                cfg,
                new Consumers(traces, metrics, logs));
    r.start(OtlpExportersIT.host());
    closers.add(() -> r.shutdown(Deadline.in(Duration.ofSeconds(5))));
    return new int[] {g, h};
  }

  private Exporter<Traces> start(OtlpGrpcExporterConfig cfg) throws Exception {
    Settings st = Settings.forTest(Kind.EXPORTER, ComponentId.of("otlp_grpc"), Signal.TRACES);
    Exporter<Traces> e = new OtlpExporterFactory.Grpc().createTraces(st, cfg);
    e.start(OtlpExportersIT.host());
    closers.add(() -> e.shutdown(Deadline.in(Duration.ofSeconds(5))));
    return e;
  }

  private Exporter<Traces> start(OtlpHttpExporterConfig cfg) throws Exception {
    Settings st = Settings.forTest(Kind.EXPORTER, ComponentId.of("otlp_http"), Signal.TRACES);
    Exporter<Traces> e = new OtlpExporterFactory.Http().createTraces(st, cfg);
    e.start(OtlpExportersIT.host());
    closers.add(() -> e.shutdown(Deadline.in(Duration.ofSeconds(5))));
    return e;
  }

  private static OtlpGrpcExporterConfig grpc(String endpoint, ClientTls tls, Compression c) {
    return new OtlpGrpcExporterConfig(
        endpoint,
        tls,
        Map.of(),
        c,
        Duration.ofSeconds(5),
        NO_RETRY,
        NO_QUEUE,
        false,
        null,
        null,
        new OtlpGrpcExporterConfig.Keepalive(Duration.ofSeconds(10), Duration.ofSeconds(10), true),
        16384,
        16384);
  }

  private static OtlpHttpExporterConfig http(
      String endpoint, ClientTls tls, Compression c, int level, boolean disableKeepAlives) {
    return new OtlpHttpExporterConfig(
        endpoint,
        null,
        null,
        null,
        null,
        tls,
        Map.of(),
        c,
        Encoding.PROTO,
        Duration.ofSeconds(5),
        NO_RETRY,
        NO_QUEUE,
        new CompressionParams(level),
        1024,
        1024,
        10,
        0,
        4,
        Duration.ofSeconds(30),
        disableKeepAlives);
  }

  private static ClientTls tls(String caFile, String min, String max, List<String> suites) {
    return new ClientTls(
        false, false, caFile, null, null, null, null, null, null, min, max, suites, false, false,
        null);
  }

  private static OtlpReceiverConfig.Tls serverTls(
      String max, List<String> suites, String clientCa) {
    return new OtlpReceiverConfig.Tls(
        server.cert().toString(),
        server.key().toString(),
        clientCa,
        null,
        null,
        null,
        null,
        null,
        max,
        suites,
        false,
        false,
        null,
        false);
  }

  @Test
  void everyHttpCompressionArrivesUnderItsEncoding() throws Exception {
    int h = receiver(null)[1];
    int sent = 0;
    for (Compression c : Compression.values()) {
      Exporter<Traces> e = start(http("http://127.0.0.1:" + h, ClientTls.DEFAULT, c, 0, false));
      int n = c.ordinal() + 3;
      e.consume(Context.EMPTY, OtlpExportersIT.spans(n, c.wireName())).get(10, TimeUnit.SECONDS);
      sent += n;
      Context got = traces.contexts.get(traces.contexts.size() - 1);
      assertThat(got.first("content-encoding"))
          .as("%s", c)
          .isEqualTo(
              c.compresses() ? java.util.Optional.of(c.wireName()) : java.util.Optional.empty());
      assertThat(traces.data.get(traces.data.size() - 1).itemCount()).as("%s", c).isEqualTo(n);
    }
    assertThat(traces.items()).isEqualTo(sent);
  }

  @Test
  void httpCompressionLevelsAreAccepted() throws Exception {
    int h = receiver(null)[1];
    int[][] cases = {
      {Compression.ZSTD.ordinal(), 1},
      {Compression.ZSTD.ordinal(), 4},
      {Compression.ZSTD.ordinal(), 12},
      {Compression.ZSTD.ordinal(), -5},
      {Compression.GZIP.ordinal(), 9},
      {Compression.GZIP.ordinal(), -2},
      {Compression.DEFLATE.ordinal(), 1},
      {Compression.ZLIB.ordinal(), 0}
    };
    for (int[] c : cases) {
      Compression comp = Compression.values()[c[0]];
      Exporter<Traces> e =
          start(http("http://127.0.0.1:" + h, ClientTls.DEFAULT, comp, c[1], false));
      e.consume(Context.EMPTY, OtlpExportersIT.spans(4, "lvl")).get(10, TimeUnit.SECONDS);
    }
    assertThat(traces.items()).isEqualTo(4 * cases.length);
  }

  @Test
  void everyGrpcCompressionIsAcceptedByTheReceiver() throws Exception {
    int g = receiver(null)[0];
    int sent = 0;
    for (Compression c :
        List.of(Compression.GZIP, Compression.ZSTD, Compression.SNAPPY, Compression.NONE)) {
      Exporter<Traces> e = start(grpc("http://127.0.0.1:" + g, ClientTls.DEFAULT, c));
      int n = c.ordinal() + 2;
      e.consume(Context.EMPTY, OtlpExportersIT.spans(n, c.wireName())).get(10, TimeUnit.SECONDS);
      sent += n;
      assertThat(traces.data.get(traces.data.size() - 1).itemCount()).as("%s", c).isEqualTo(n);
      assertThat(traces.contexts.get(traces.contexts.size() - 1).first("grpc-encoding"))
          .as("%s", c)
          .isEqualTo(
              c.compresses() ? java.util.Optional.of(c.wireName()) : java.util.Optional.empty());
    }
    assertThat(traces.items()).isEqualTo(sent);
  }

  @Test
  void aMinVersionAboveTheServersMaxFailsTheHandshake() throws Exception {
    int[] ports = receiver(serverTls("1.2", List.of(), null));
    String ca = server.cert().toString();
    Exporter<Traces> grpc13 =
        start(
            grpc(
                "https://127.0.0.1:" + ports[0],
                tls(ca, "1.3", null, List.of()),
                Compression.NONE));
    Exporter<Traces> http13 =
        start(
            http(
                "https://127.0.0.1:" + ports[1],
                tls(ca, "1.3", null, List.of()),
                Compression.NONE,
                0,
                false));
    assertThatThrownBy(
            () ->
                grpc13
                    .consume(Context.EMPTY, OtlpExportersIT.spans(1, "x"))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThatThrownBy(
            () ->
                http13
                    .consume(Context.EMPTY, OtlpExportersIT.spans(1, "x"))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("127.0.0.1:" + ports[1]);
    assertThat(traces.items()).isZero();

    Exporter<Traces> grpc12 =
        start(
            grpc(
                "https://127.0.0.1:" + ports[0],
                tls(ca, "1.2", null, List.of()),
                Compression.NONE));
    Exporter<Traces> http12 =
        start(
            http(
                "https://127.0.0.1:" + ports[1],
                tls(ca, null, "1.2", List.of()),
                Compression.GZIP,
                0,
                false));
    grpc12.consume(Context.EMPTY, OtlpExportersIT.spans(2, "ok")).get(10, TimeUnit.SECONDS);
    http12.consume(Context.EMPTY, OtlpExportersIT.spans(3, "ok")).get(10, TimeUnit.SECONDS);
    assertThat(traces.items()).isEqualTo(5);
  }

  @Test
  void cipherSuitesMustMeet() throws Exception {
    int[] ports =
        receiver(serverTls("1.2", List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), null));
    String ca = server.cert().toString();
    List<String> other = List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    List<String> same = List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    Exporter<Traces> grpcOther =
        start(grpc("https://127.0.0.1:" + ports[0], tls(ca, null, null, other), Compression.NONE));
    Exporter<Traces> httpOther =
        start(
            http(
                "https://127.0.0.1:" + ports[1],
                tls(ca, null, null, other),
                Compression.NONE,
                0,
                false));
    assertThatThrownBy(
            () ->
                grpcOther
                    .consume(Context.EMPTY, OtlpExportersIT.spans(1, "x"))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    assertThatThrownBy(
            () ->
                httpOther
                    .consume(Context.EMPTY, OtlpExportersIT.spans(1, "x"))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    Exporter<Traces> grpcSame =
        start(grpc("https://127.0.0.1:" + ports[0], tls(ca, null, null, same), Compression.ZSTD));
    Exporter<Traces> httpSame =
        start(
            http(
                "https://127.0.0.1:" + ports[1],
                tls(ca, null, null, same),
                Compression.ZSTD,
                0,
                false));
    grpcSame.consume(Context.EMPTY, OtlpExportersIT.spans(2, "ok")).get(10, TimeUnit.SECONDS);
    httpSame.consume(Context.EMPTY, OtlpExportersIT.spans(3, "ok")).get(10, TimeUnit.SECONDS);
    assertThat(traces.items()).isEqualTo(5);
  }

  @Test
  void pemClientCertificatesPassMutualTls() throws Exception {
    int[] ports = receiver(serverTls(null, List.of(), client.cert().toString()));
    ClientTls withPem =
        new ClientTls(
            false,
            false,
            null,
            null,
            null,
            null,
            Secret.of(server.certText()),
            Secret.of(client.certText()),
            Secret.of(client.keyText()),
            null,
            null,
            List.of(),
            false,
            false,
            null);
    ClientTls withoutCert = tls(server.cert().toString(), null, null, List.of());
    Exporter<Traces> bare =
        start(grpc("https://127.0.0.1:" + ports[0], withoutCert, Compression.NONE));
    assertThatThrownBy(
            () ->
                bare.consume(Context.EMPTY, OtlpExportersIT.spans(1, "x"))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    start(grpc("https://127.0.0.1:" + ports[0], withPem, Compression.SNAPPY))
        .consume(Context.EMPTY, OtlpExportersIT.spans(2, "ok"))
        .get(10, TimeUnit.SECONDS);
    start(http("https://127.0.0.1:" + ports[1], withPem, Compression.LZ4, 0, false))
        .consume(Context.EMPTY, OtlpExportersIT.spans(3, "ok"))
        .get(10, TimeUnit.SECONDS);
    assertThat(traces.items()).isEqualTo(5);
  }

  @Test
  void insecureSkipVerifyTrustsTheSelfSignedServer() throws Exception {
    int[] ports = receiver(serverTls(null, List.of(), null));
    ClientTls jvmCas = ClientTls.DEFAULT;
    ClientTls skip = new ClientTls(false, true, null, null, null, null);
    Exporter<Traces> refused =
        start(grpc("https://127.0.0.1:" + ports[0], jvmCas, Compression.NONE));
    assertThatThrownBy(
            () ->
                refused
                    .consume(Context.EMPTY, OtlpExportersIT.spans(1, "x"))
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
    start(grpc("https://127.0.0.1:" + ports[0], skip, Compression.GZIP))
        .consume(Context.EMPTY, OtlpExportersIT.spans(2, "ok"))
        .get(10, TimeUnit.SECONDS);
    start(http("https://127.0.0.1:" + ports[1], skip, Compression.GZIP, 0, false))
        .consume(Context.EMPTY, OtlpExportersIT.spans(3, "ok"))
        .get(10, TimeUnit.SECONDS);
    assertThat(traces.items()).isEqualTo(5);
  }

  @Test
  void disableKeepAlivesClosesEachConnection() throws Exception {
    int h = receiver(null)[1];
    Exporter<Traces> e =
        start(http("http://127.0.0.1:" + h, ClientTls.DEFAULT, Compression.NONE, 0, true));
    e.consume(Context.EMPTY, OtlpExportersIT.spans(1, "a")).get(10, TimeUnit.SECONDS);
    e.consume(Context.EMPTY, OtlpExportersIT.spans(1, "b")).get(10, TimeUnit.SECONDS);
    assertThat(traces.items()).isEqualTo(2);
    for (Context c : traces.contexts) {
      assertThat(c.first("connection")).contains("close");
    }
  }
}
