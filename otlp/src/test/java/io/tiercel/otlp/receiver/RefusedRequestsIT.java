package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Requests refused before the pipeline are counted by reason, and the receiver keeps serving. */
@Tag("integration")
class RefusedRequestsIT {
  private static Map<String, Long> refused(MetricsRegistry m) {
    Map<String, Long> out = new TreeMap<>();
    for (MetricSnapshot s : m.prometheus().scrape()) {
      if (s.getMetadata().getName().equals("otelcol_receiver_refused_requests")
          && s instanceof CounterSnapshot c) {
        c.getDataPoints()
            .forEach(
                p ->
                    out.put(
                        p.getLabels().get("transport") + "/" + p.getLabels().get("reason"),
                        (long) p.getValue()));
      }
    }
    return out;
  }

  @Test
  void badRequestsAreCountedByReason() throws Exception {
    MetricsRegistry metrics = new MetricsRegistry();
    Settings settings =
        new Settings(
            ComponentId.of("otlp"),
            Kind.RECEIVER,
            null,
            LoggerFactory.getLogger("it.otlp"),
            metrics,
            Clock.systemUTC(),
            BuildInfo.DEFAULT,
            io.tiercel.core.component.SharedComponents.create());
    int port = SdkToFileIT.freePort();
    Receiver r =
        new OtlpReceiverFactory()
            .create(
                settings,
                new OtlpReceiverConfig(
                    new OtlpReceiverConfig.Protocols(
                        null,
                        new OtlpReceiverConfig.Http(
                            "127.0.0.1:" + port,
                            null,
                            null,
                            1024L * 1024,
                            false,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null))),
                new Consumers(
                    (TelemetryConsumer<Traces>) (ctx, d) -> TelemetryConsumer.done(), null, null));
    r.start(ReceiverFixture.host());
    HttpClient client = HttpClient.newHttpClient();
    String url = "http://127.0.0.1:" + port + "/v1/traces";
    try {
      int garbage =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(
                          HttpRequest.BodyPublishers.ofByteArray(
                              new byte[] {(byte) 0xff, (byte) 0xff, 1}))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      int get =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(url)).GET().build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      int text =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Content-Type", "text/plain")
                      .POST(HttpRequest.BodyPublishers.ofString("hi"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      int big =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024]))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      byte[] good =
          TracesData.newBuilder()
              .addResourceSpans(
                  io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                      .addScopeSpans(
                          io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                              .addSpans(Span.newBuilder().setName("ok"))))
              .build()
              .toByteArray();
      int ok =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(good))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      assertThat(new int[] {garbage, get, text, big, ok}).containsExactly(400, 405, 415, 413, 200);
      assertThat(refused(metrics))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "http/malformed",
                  1L,
                  "http/method_not_allowed",
                  1L,
                  "http/unsupported_media_type",
                  1L,
                  "http/too_large",
                  1L));
    } finally {
      r.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }
}
