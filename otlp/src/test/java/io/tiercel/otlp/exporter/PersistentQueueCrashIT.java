package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.exporterhelper.Sizer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.otlp.receiver.OtlpReceiverConfig;
import io.tiercel.otlp.receiver.OtlpReceiverFactory;
import io.tiercel.testing.process.ChildJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent sending queue across a kill -9: a collector process (a child JVM running {@code
 * tiercel run}) receives spans over OTLP gRPC while its backend is down, acknowledges them once
 * they are on disk, is killed with SIGKILL, and is started again with the backend up: every
 * acknowledged span reaches the backend.
 */
@Tag("integration")
class PersistentQueueCrashIT {
  private static final int REQUESTS = 40;
  private static final int SPANS_PER_REQUEST = 25;

  @TempDir Path dir;

  private Process startCollector(Path config, Path log) {
    return ChildJvm.collector(config, log).process();
  }

  private static void awaitPort(int port, Process p, Path log) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "the collector exited with " + p.exitValue() + ":\n" + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError(
        "the collector did not listen on " + port + ":\n" + Files.readString(log));
  }

  private static Traces request(int r) {
    TracesData.Builder b = TracesData.newBuilder();
    var ss = b.addResourceSpansBuilder().addScopeSpansBuilder();
    for (int i = 0; i < SPANS_PER_REQUEST; i++) {
      ss.addSpans(
          Span.newBuilder()
              .setName("r" + r + "-s" + i)
              .setTraceId(ByteString.copyFrom(new byte[16]))
              .setSpanId(ByteString.copyFrom(new byte[8])));
    }
    return Traces.ofBytes(b.build().toByteArray());
  }

  @Test
  void acknowledgedSpansSurviveAKillAndAreDeliveredAfterTheRestart() throws Exception {
    int collectorPort = OtlpExportersIT.freePort();
    int backendPort = OtlpExportersIT.freePort();
    Path config = dir.resolve("collector.yaml");
    Files.writeString(
        config,
        """
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:%d}
        exporters:
          otlp_grpc:
            endpoint: http://127.0.0.1:%d
            timeout: 1s
            retry_on_failure: {initial_interval: 100ms, max_interval: 500ms, max_elapsed_time: 0}
            sending_queue: {storage: file_storage, queue_size: 10000, num_consumers: 2}
        extensions:
          file_storage: {directory: %s, create_directory: true, fsync: true}
        service:
          extensions: [file_storage]
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlp_grpc]}
        """
            .formatted(collectorPort, backendPort, dir.resolve("queue")));
    Path log = dir.resolve("collector.log");

    // 1. The backend is down; the collector acknowledges each request once it is in its persistent
    // queue.
    Process first = startCollector(config, log);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    try {
      awaitPort(collectorPort, first, log);
      var clientCfg =
          new OtlpGrpcExporterConfig(
              "http://127.0.0.1:" + collectorPort,
              null,
              null,
              null,
              Duration.ofSeconds(5),
              RetryConfig.disabled(),
              new QueueConfig(true, 4, 100, Sizer.REQUESTS, false, true, null),
              false,
              null,
              null);
      Exporter<Traces> client =
          new OtlpExporterFactory.Grpc()
              .createTraces(
                  Settings.forTest(Kind.EXPORTER, ComponentId.of("otlp_grpc"), Signal.TRACES),
                  clientCfg);
      client.start(OtlpExportersIT.host());
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (int r = 0; r < REQUESTS; r++) {
        Traces t = request(r);
        int rr = r;
        sends.add(
            client
                .consume(Context.EMPTY, t)
                .thenRun(
                    () -> {
                      for (int i = 0; i < SPANS_PER_REQUEST; i++) {
                        acknowledged.add("r" + rr + "-s" + i);
                      }
                    }));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      client.shutdown(Deadline.in(Duration.ofSeconds(5)));
      assertThat(acknowledged).hasSize(REQUESTS * SPANS_PER_REQUEST);
    } finally {
      // 2. kill -9: no shutdown hook, no drain.
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    // 3. The backend comes up; the collector restarts and replays its queue.
    Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    TelemetryConsumer<Traces> sink =
        (ctx, d) -> {
          d.message()
              .getResourceSpansList()
              .forEach(
                  rs ->
                      rs.getScopeSpansList()
                          .forEach(
                              ss ->
                                  ss.getSpansList()
                                      .forEach(
                                          s ->
                                              received
                                                  .computeIfAbsent(
                                                      s.getName(), k -> new AtomicInteger())
                                                  .incrementAndGet())));
          return TelemetryConsumer.done();
        };
    Receiver backend =
        new OtlpReceiverFactory()
            .create(
                Settings.forTest(Kind.RECEIVER, ComponentId.of("otlp"), null),
                new OtlpReceiverConfig(
                    new OtlpReceiverConfig.Protocols(
                        new OtlpReceiverConfig.Grpc(
                            "127.0.0.1:" + backendPort,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            false),
                        null)),
                new Consumers(sink, null, null));
    backend.start(OtlpExportersIT.host());
    Process second = startCollector(config, log);
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!received.keySet().containsAll(acknowledged) && System.nanoTime() < end) {
        Thread.sleep(100);
      }
      List<String> missing =
          acknowledged.stream().filter(n -> !received.containsKey(n)).sorted().toList();
      long duplicates =
          received.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).count();
      System.out.printf(
          "persistent queue after kill -9: %d acknowledged, %d received, %d missing, %d"
              + " duplicated%n",
          acknowledged.size(), received.size(), missing.size(), duplicates);
      assertThat(missing)
          .as("acknowledged spans lost across the kill; log:\n" + Files.readString(log))
          .isEmpty();
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      backend.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }
}
