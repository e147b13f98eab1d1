package io.tiercel.distributions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.collector.profiles.v1development.ProfilesServiceGrpc;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.testing.TestProfiles;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * OTLP profiles through both tiers on the real broker: OTLP gRPC into the ingestion tier (otlp ->
 * memory_limiter -> batch -> kafka), the {@code otlp_profiles} topic, the processing tier (kafka ->
 * batch -> otlp_grpc), and an OTLP gRPC backend that counts what arrives. Profiles are carried as
 * bytes: every request arrives whole and byte for byte, dictionary included.
 */
@KafkaBrokerTest
class ProfilesTwoTiersIT {
  private static final int REQUESTS = 40;

  static KafkaBroker broker;

  /** The OTLP backend: counts profiles and samples, keeps each request's bytes. */
  static final class Backend extends ProfilesServiceGrpc.ProfilesServiceImplBase {
    final AtomicLong profiles = new AtomicLong();
    final AtomicLong samples = new AtomicLong();
    final Set<ByteString> requests = ConcurrentHashMap.newKeySet();

    @Override
    public void export(
        ExportProfilesServiceRequest request,
        StreamObserver<ExportProfilesServiceResponse> response) {
      for (ResourceProfiles rp : request.getResourceProfilesList()) {
        for (ScopeProfiles sp : rp.getScopeProfilesList()) {
          for (Profile p : sp.getProfilesList()) {
            profiles.incrementAndGet();
            samples.addAndGet(p.getSamplesCount());
          }
        }
      }
      requests.add(request.toByteString());
      response.onNext(ExportProfilesServiceResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  @Test
  void profilesCrossBothTiersWholeAndCounted() throws Exception {
    Path dir = TwoTiers.workDir("ProfilesTwoTiersIT");
    broker.createTopic("otlp_profiles", 3);
    Backend backend = new Backend();
    int backendPort = TwoTiers.freePort();
    Server server = ServerBuilder.forPort(backendPort).addService(backend).build().start();
    int ingestionPort = TwoTiers.freePort();
    Service ingestion =
        start(
            dir.resolve("ingestion.yaml"),
            """
            receivers:
              otlp: {protocols: {grpc: {endpoint: 127.0.0.1:%d}}}
            processors:
              memory_limiter: {check_interval: 1s, limit_percentage: 90, spike_limit_percentage: 20}
              batch: {timeout: 100ms}
            exporters:
              kafka:
                brokers: [%s]
                producer: {required_acks: all}
            service:
              telemetry: {metrics: {level: none}}
              pipelines:
                profiles: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [kafka]}
            """
                .formatted(ingestionPort, broker.bootstrapServers()));
    Service processing =
        start(
            dir.resolve("processing.yaml"),
            """
            receivers:
              kafka:
                brokers: [%s]
                group_id: profiles-it
                initial_offset: earliest
            processors:
              batch: {timeout: 100ms}
            exporters:
              otlp_grpc:
                endpoint: 127.0.0.1:%d
                tls: {insecure: true}
            service:
              telemetry: {metrics: {level: none}}
              pipelines:
                profiles/kafka: {receivers: [kafka], processors: [batch], exporters: [otlp_grpc]}
            """
                .formatted(broker.bootstrapServers(), backendPort));
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", ingestionPort).usePlaintext().build();
    List<ByteString> sent = new ArrayList<>();
    long sentProfiles = 0;
    long sentSamples = 0;
    try {
      var client = ProfilesServiceGrpc.newBlockingStub(channel);
      for (int i = 0; i < REQUESTS; i++) {
        int profiles = 1 + i % 4;
        int samples = 5 + i % 7;
        ExportProfilesServiceRequest request =
            ExportProfilesServiceRequest.parseFrom(
                TestProfiles.profilesData(profiles, samples, 7_000 + i).toByteArray());
        client.withDeadlineAfter(30, TimeUnit.SECONDS).export(request);
        sent.add(request.toByteString());
        sentProfiles += profiles;
        sentSamples += (long) profiles * samples;
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (backend.samples.get() < sentSamples && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Thread.sleep(500); // anything beyond the sent data would show up as an excess below
    } finally {
      channel.shutdownNow();
      processing.shutdown(Duration.ofSeconds(10));
      ingestion.shutdown(Duration.ofSeconds(10));
      server.shutdownNow();
    }
    System.out.printf(
        "profiles through both tiers: sent %d requests, %d profiles, %d samples; backend got %d"
            + " requests, %d profiles, %d samples%n",
        sent.size(),
        sentProfiles,
        sentSamples,
        backend.requests.size(),
        backend.profiles.get(),
        backend.samples.get());
    assertThat(backend.profiles.get()).isEqualTo(sentProfiles);
    assertThat(backend.samples.get()).isEqualTo(sentSamples);
    assertThat(backend.requests).containsExactlyInAnyOrderElementsOf(sent);
  }

  private static Service start(Path yaml, String config) throws Exception {
    Files.writeString(yaml, config);
    Service s =
        new Service(
            new ConfigLoader(ComponentRegistry.load(), System::getenv)
                .load(List.of(yaml.toString()), List.of()),
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC());
    s.start();
    return s;
  }
}
