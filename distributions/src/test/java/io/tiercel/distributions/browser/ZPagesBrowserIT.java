package io.tiercel.distributions.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The {@code zpages} status page in headless Chromium while a pipeline carries traffic from a real
 * OTLP client (the OpenTelemetry Java SDK): otlp -> batch -> kafka and an OTLP gRPC exporter with a
 * secret header (fan-out); that exporter's loop back in through a second otlp receiver and the
 * kafka receiver -> tail_sampling both write to one file exporter (fan-in). The graph shows every
 * component of the config, the counters grow between two reads, no secret appears in the page or
 * the JSON; a screenshot is saved as {@code target/zpages-it/zpages.png}.
 */
@KafkaBrokerTest
class ZPagesBrowserIT {
  private static final String TOPIC = "zpages_spans";
  private static final String SECRET = "Bearer zp-9f3c-S3CRET-token";

  static KafkaBroker broker;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void thePageShowsThePipelineLiveWithoutSecrets() throws Exception {
    HeadlessChromium.binary(); // fails first, saying how to install it, when there is none
    Path dir = Path.of("target", "zpages-it").toAbsolutePath();
    Files.createDirectories(dir);
    broker.createTopic(TOPIC, 3);
    int otlp = freePort();
    int loop = freePort();
    int zpages = freePort();
    Path yaml =
        Files.writeString(
            dir.resolve("zpages-it.yaml"),
            """
            receivers:
              otlp: {protocols: {grpc: {endpoint: 127.0.0.1:%d}}}
              otlp/loop: {protocols: {grpc: {endpoint: 127.0.0.1:%d}}}
              kafka:
                brokers: [%s]
                group_id: zpages-it
                initial_offset: earliest
                traces: {topics: [%s]}
            processors:
              batch: {timeout: 100ms}
              tail_sampling:
                decision_wait: 1s
                policies:
                  - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
                  - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 25}}
            exporters:
              kafka:
                brokers: [%s]
                traces: {topic: %s}
                partition_traces_by_id: true
              otlp_grpc/secret:
                endpoint: 127.0.0.1:%d
                tls: {insecure: true}
                headers: {authorization: "%s"}
              file/out: {path: %s}
            extensions:
              zpages: {endpoint: 127.0.0.1:%d}
              health_check: {endpoint: 127.0.0.1:0}
            service:
              extensions: [zpages, health_check]
              telemetry: {metrics: {level: none}}
              pipelines:
                traces/in: {receivers: [otlp], processors: [batch], exporters: [kafka, otlp_grpc/secret]}
                traces/loop: {receivers: [otlp/loop], exporters: [file/out]}
                traces/sampled: {receivers: [kafka], processors: [tail_sampling], exporters: [file/out]}
            """
                .formatted(
                    otlp,
                    loop,
                    broker.bootstrapServers(),
                    TOPIC,
                    broker.bootstrapServers(),
                    TOPIC,
                    loop,
                    SECRET,
                    dir.resolve("out.json"),
                    zpages));
    Service svc =
        new Service(
            new ConfigLoader(ComponentRegistry.load(), System::getenv)
                .load(List.of(yaml.toString()), List.of()),
            BuildInfo.DEFAULT,
            new MetricsRegistry(),
            Clock.systemUTC());
    svc.start();
    AtomicBoolean sending = new AtomicBoolean(true);
    SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpGrpcSpanExporter.builder()
                            .setEndpoint("http://127.0.0.1:" + otlp)
                            .build())
                    .setScheduleDelay(Duration.ofMillis(100))
                    .build())
            .build();
    Thread traffic = new Thread(() -> send(tracing.get("zpages-it"), sending), "zpages-it-traffic");
    traffic.setDaemon(true);
    traffic.start();
    try (HeadlessChromium browser =
        HeadlessChromium.start(dir.resolve("chromium-profile"), 1500, 1200)) {
      String base = "http://127.0.0.1:" + zpages + "/";
      browser.navigate(base);
      // every pipeline component drawn, partitions assigned, decisions taken, counters moving
      browser.waitFor(
          "document.querySelectorAll('#graph g.node').length === 8"
              + " && document.querySelectorAll('#kafka-receivers tr').length > 1"
              + " && document.querySelector('#tail-sampling svg.chart rect[height]') !== null"
              + " && Number(document.querySelector('g.node[data-id=\"receiver/kafka\"]')"
              + ".dataset.totalIn) > 0",
          Duration.ofSeconds(60));

      List<String> drawn =
          texts(
              browser.evaluate(
                  "[...document.querySelectorAll('#graph g.node')].map(g => g.dataset.component)"));
      assertThat(drawn)
          .containsExactlyInAnyOrder(
              "otlp",
              "otlp/loop",
              "kafka", // the receiver
              "batch",
              "tail_sampling",
              "kafka", // the exporter
              "otlp_grpc/secret",
              "file/out");
      assertThat(
              texts(
                  browser.evaluate(
                      "[...document.querySelectorAll('#graph g.node')].map(g => g.dataset.id)")))
          .contains("receiver/kafka", "exporter/kafka[traces]", "exporter/file/out[traces]");
      assertThat(browser.evaluate("document.querySelectorAll('#graph path.edge').length").asInt())
          .isEqualTo(6); // otlp>batch, batch>kafka, batch>otlp_grpc, loop>file, kafka>ts, ts>file
      assertThat(browser.evaluate("document.getElementById('extensions').textContent").asText())
          .contains("zpages (OK)", "health_check (OK)");

      double[] first = totals(browser);
      Thread.sleep(2500);
      double[] second = totals(browser);
      assertThat(second[0]).as("otlp receiver total in").isGreaterThan(first[0]);
      assertThat(second[1]).as("kafka receiver total in").isGreaterThan(first[1]);
      assertThat(second[2]).as("page updates").isGreaterThan(first[2]);
      assertThat(browser.evaluate("document.getElementById('updated').className").asText())
          .isEqualTo("muted"); // not the error style: every poll answered

      String html = browser.evaluate("document.documentElement.outerHTML").asText();
      assertThat(html)
          .doesNotContain(SECRET)
          .doesNotContain("zp-9f3c")
          .contains("authorization: '[REDACTED]'");
      String json =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "api/status")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(json).doesNotContain("zp-9f3c").contains("\"kafka_receivers\":[{\"id\":\"kafka\"");
      browser.screenshot(dir.resolve("zpages.png"));
    } finally {
      sending.set(false);
      traffic.join(5000);
      tracing.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(svc.shutdown(Duration.ofSeconds(30))).isEmpty();
    }
  }

  /** Roughly 300 spans a second, one in ten traces an error. */
  private static void send(Tracer tracer, AtomicBoolean sending) {
    int n = 0;
    while (sending.get()) {
      Span root = tracer.spanBuilder("GET /checkout").startSpan();
      try (var scope = root.makeCurrent()) {
        for (int i = 0; i < 2; i++) {
          tracer.spanBuilder("SELECT orders").startSpan().end();
        }
      }
      if (n++ % 10 == 0) {
        root.setStatus(StatusCode.ERROR);
      }
      root.setAttribute(AttributeKey.longKey("n"), n);
      root.end();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static double[] totals(HeadlessChromium b) throws Exception {
    JsonNode t =
        b.evaluate(
            "[Number(document.querySelector('g.node[data-id=\"receiver/otlp\"]').dataset.totalIn),"
                + " Number(document.querySelector('g.node[data-id=\"receiver/kafka\"]')"
                + ".dataset.totalIn), Number(document.body.dataset.updates)]");
    return new double[] {t.get(0).asDouble(), t.get(1).asDouble(), t.get(2).asDouble()};
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
