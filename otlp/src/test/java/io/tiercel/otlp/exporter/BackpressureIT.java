package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.otlp.receiver.OtlpReceiverConfig;
import io.tiercel.otlp.receiver.OtlpReceiverFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector (otlp receiver -> otlp_grpc exporter with a queue of 5 and one consumer) in front of
 * a stalled backend: clients are refused with the retryable status once the queue is full, the
 * queue never holds more than its bound, and when the backend recovers every request the collector
 * accepted arrives.
 */
@Tag("integration")
class BackpressureIT {
  @TempDir Path dir;

  private static double queueSize(MetricsRegistry m) {
    for (MetricSnapshot s : m.prometheus().scrape()) {
      if (s.getMetadata().getName().equals("otelcol_exporter_queue_size")
          && s instanceof GaugeSnapshot g) {
        return g.getDataPoints().stream()
            .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue)
            .sum();
      }
    }
    return -1;
  }

  @Test
  void aFullQueueRefusesRetryablyAndEverythingAcceptedArrivesAfterRecovery() throws Exception {
    int collectorPort = OtlpExportersIT.freePort();
    int backendPort = OtlpExportersIT.freePort();

    // The backend holds every request until released.
    List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    Set<String> received = ConcurrentHashMap.newKeySet();
    CompletableFuture<Void> recovered = new CompletableFuture<>();
    TelemetryConsumer<Traces> stalled =
        (ctx, d) -> {
          d.message()
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpansList()
              .forEach(s -> received.add(s.getName()));
          if (recovered.isDone()) {
            return TelemetryConsumer.done();
          }
          CompletableFuture<Void> f = new CompletableFuture<>();
          held.add(f);
          return f;
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
                new Consumers(stalled, null, null));
    backend.start(OtlpExportersIT.host());

    Path yaml = dir.resolve("collector.yaml");
    Files.writeString(
        yaml,
        """
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:%d}
        exporters:
          otlp_grpc:
            endpoint: http://127.0.0.1:%d
            timeout: 60s
            sending_queue: {queue_size: 5, num_consumers: 1}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlp_grpc]}
        """
            .formatted(collectorPort, backendPort));
    MetricsRegistry metrics = new MetricsRegistry();
    Service collector =
        new Service(
            new ConfigLoader(ComponentRegistry.load(), System::getenv)
                .load(List.of(yaml.toString()), List.of()),
            BuildInfo.DEFAULT,
            metrics,
            Clock.systemUTC());
    collector.start();

    // A client that neither queues nor retries, so every answer is visible.
    Exporter<Traces> client =
        new OtlpExporterFactory.Grpc()
            .createTraces(
                Settings.forTest(Kind.EXPORTER, ComponentId.of("otlp_grpc"), Signal.TRACES),
                new OtlpGrpcExporterConfig(
                    "http://127.0.0.1:" + collectorPort,
                    null,
                    null,
                    null,
                    Duration.ofSeconds(10),
                    RetryConfig.disabled(),
                    QueueConfig.disabled(),
                    false,
                    null,
                    null));
    client.start(OtlpExportersIT.host());
    try {
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      int refused = 0;
      double maxQueue = 0;
      for (int i = 0; i < 30; i++) {
        try {
          client
              .consume(Context.EMPTY, OtlpExportersIT.spans(1, "req" + i + "-"))
              .get(10, TimeUnit.SECONDS);
          accepted.add("req" + i + "-0");
        } catch (ExecutionException e) {
          assertThat(e.getCause())
              .isInstanceOf(RetryableException.class)
              .hasMessageStartingWith("gRPC UNAVAILABLE from http://127.0.0.1:" + collectorPort);
          refused++;
        }
        maxQueue = Math.max(maxQueue, queueSize(metrics));
      }
      // one request in flight to the stalled backend, five queued; the rest refused with the
      // retryable status
      assertThat(accepted).hasSize(6);
      assertThat(refused).isEqualTo(24);
      assertThat(maxQueue).isLessThanOrEqualTo(5);

      recovered.complete(null);
      held.forEach(f -> f.complete(null));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!received.containsAll(accepted) && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertThat(received).containsAll(accepted);
    } finally {
      client.shutdown(Deadline.in(Duration.ofSeconds(5)));
      collector.shutdown(Duration.ofSeconds(10));
      backend.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }
}
