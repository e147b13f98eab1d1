package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.otlp.receiver.OtlpReceiverConfig;
import io.tiercel.otlp.receiver.OtlpReceiverFactory;
import io.tiercel.testing.TestProfiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Profiles through our OTLP exporters into our OTLP receiver over real sockets: gRPC {@code
 * ProfilesService/Export} and HTTP {@code /v1development/profiles}, the bytes unchanged.
 */
@Tag("integration")
class OtlpProfilesIT {
  private final List<AutoCloseable> closers = new ArrayList<>();
  private final OtlpExportersIT.Sink<Profiles> sink = new OtlpExportersIT.Sink<>();
  private int grpcPort;
  private int httpPort;

  @AfterEach
  void close() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  private void receiver() throws Exception {
    grpcPort = OtlpExportersIT.freePort();
    httpPort = OtlpExportersIT.freePort();
    var cfg =
        new OtlpReceiverConfig(
            new OtlpReceiverConfig.Protocols(
                new OtlpReceiverConfig.Grpc(
                    "127.0.0.1:" + grpcPort, null, null, null, null, null, null, null, false),
                new OtlpReceiverConfig.Http(
                    "127.0.0.1:" + httpPort,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)));
    Receiver r =
        new OtlpReceiverFactory()
            .create(
                Settings.forTest(Kind.RECEIVER, ComponentId.of("otlp"), null),
                cfg,
                new Consumers(null, null, null, sink));
    r.start(OtlpExportersIT.host());
    closers.add(() -> r.shutdown(Deadline.in(Duration.ofSeconds(5))));
  }

  private Exporter<Profiles> started(Exporter<Profiles> e) throws Exception {
    e.start(OtlpExportersIT.host());
    closers.add(() -> e.shutdown(Deadline.in(Duration.ofSeconds(5))));
    return e;
  }

  private static Settings settings(String type) {
    return Settings.forTest(Kind.EXPORTER, ComponentId.of(type), Signal.PROFILES);
  }

  @Test
  void grpcAndHttpExportersDeliverProfilesByteForByte() throws Exception {
    receiver();
    Exporter<Profiles> grpc =
        started(
            new OtlpExporterFactory.Grpc()
                .createProfiles(
                    settings("otlp_grpc"),
                    new OtlpGrpcExporterConfig(
                        "http://127.0.0.1:" + grpcPort,
                        null,
                        Map.of(),
                        Compression.GZIP,
                        Duration.ofSeconds(5),
                        RetryConfig.DEFAULT,
                        QueueConfig.DEFAULT,
                        false,
                        null,
                        null)));
    Exporter<Profiles> http =
        started(
            new OtlpExporterFactory.Http()
                .createProfiles(
                    settings("otlp_http"),
                    new OtlpHttpExporterConfig(
                        "http://127.0.0.1:" + httpPort,
                        null,
                        null,
                        null,
                        null,
                        Map.of("X-Tenant", Secret.of("acme")),
                        Compression.GZIP,
                        Encoding.PROTO,
                        Duration.ofSeconds(5),
                        RetryConfig.DEFAULT,
                        QueueConfig.DEFAULT)));
    Profiles a = Profiles.ofBytes(TestProfiles.profilesData(3, 7, 1).toByteArray());
    Profiles b = Profiles.ofBytes(TestProfiles.profilesData(2, 4, 2).toByteArray());
    grpc.consume(Context.EMPTY, a).get();
    http.consume(Context.EMPTY, b).get();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sink.data.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sink.items()).isEqualTo(3 * 7 + 2 * 4);
    assertThat(sink.data)
        .extracting(p -> p.bytes())
        .containsExactlyInAnyOrder(a.bytes(), b.bytes());
  }

  @Test
  void httpServesProfilesAtTheDevelopmentPathAsProtobufOnly() throws Exception {
    receiver();
    HttpClient client = HttpClient.newHttpClient();
    byte[] body = TestProfiles.profilesData(1, 3, 3).toByteArray();
    HttpResponse<String> ok =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/v1development/profiles"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(sink.items()).isEqualTo(3);
    HttpResponse<String> json =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/v1development/profiles"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(json.body())
        .isEqualTo("415 unsupported media type, supported for profiles: [application/x-protobuf]");
    HttpResponse<String> traces =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(traces.statusCode()).as("no traces pipeline: no route").isEqualTo(404);
  }
}
