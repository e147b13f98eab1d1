package io.tiercel.distributions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.kafka.common.telemetry.KafkaClientMetrics;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped Grafana dashboard and Prometheus rules name only metrics the tiers export: both
 * shipped tier configs run in this JVM against a real broker (the processing tier with a
 * dead-letter topic and a short decision wait), traffic goes through every path the dashboard shows
 * (OTLP gRPC and HTTP, a malformed request, an undecodable Kafka record, sampled traces to an OTLP
 * backend), and then every {@code otelcol_*} name of the dashboard's and the rules' expressions
 * must be a series on one of the two metrics endpoints and be documented in docs/TELEMETRY.md. The
 * Kafka client metrics carry plausible values.
 */
@KafkaBrokerTest
class DashboardMetricsIT {
  static final Path DASHBOARD = Path.of("src", "main", "grafana", "tiercel.json");
  static final Path RULES = Path.of("src", "main", "prometheus", "tiercel-alerts.yaml");
  static final Path DOC = Path.of("..", "docs", "TELEMETRY.md");
  private static final Pattern NAME = Pattern.compile("\\botelcol_[a-z0-9_]+");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static KafkaBroker broker;

  @Test
  void everyMetricOfTheDashboardAndTheRulesIsExportedByARunningTier() throws Exception {
    for (String t : List.of("otlp_spans", "otlp_metrics", "otlp_logs")) {
      broker.createTopic(t, 3);
    }
    broker.createTopic("otlp_dead_letter", 1);
    AtomicLong backendSpans = new AtomicLong();
    Server backend =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest r, StreamObserver<ExportTraceServiceResponse> o) {
                    r.getResourceSpansList()
                        .forEach(
                            rs ->
                                rs.getScopeSpansList()
                                    .forEach(s -> backendSpans.addAndGet(s.getSpansCount())));
                    o.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    o.onCompleted();
                  }
                })
            .addService(
                new LogsServiceGrpc.LogsServiceImplBase() {
                  @Override
                  public void export(
                      ExportLogsServiceRequest r, StreamObserver<ExportLogsServiceResponse> o) {
                    o.onNext(ExportLogsServiceResponse.getDefaultInstance());
                    o.onCompleted();
                  }
                })
            .addService(
                new MetricsServiceGrpc.MetricsServiceImplBase() {
                  @Override
                  public void export(
                      ExportMetricsServiceRequest r,
                      StreamObserver<ExportMetricsServiceResponse> o) {
                    o.onNext(ExportMetricsServiceResponse.getDefaultInstance());
                    o.onCompleted();
                  }
                })
            .build()
            .start();
    Map<String, String> env =
        Map.of(
            "KAFKA_BROKERS",
            broker.bootstrapServers(),
            "OTLP_ENDPOINT",
            "http://127.0.0.1:" + backend.getPort());
    ConfigLoader loader = new ConfigLoader(ComponentRegistry.load(), env::get);
    int grpc = TwoTiers.freePort();
    int http = TwoTiers.freePort();
    Service ingestion =
        service(
            loader,
            "ingestion",
            List.of(
                "receivers::otlp::protocols::grpc::endpoint=127.0.0.1:" + grpc,
                "receivers::otlp::protocols::http::endpoint=127.0.0.1:" + http,
                "extensions::health_check::endpoint=127.0.0.1:" + TwoTiers.freePort(),
                "service::telemetry::metrics::address=127.0.0.1:0"));
    Service processing =
        service(
            loader,
            "processing",
            List.of(
                "extensions::health_check::endpoint=127.0.0.1:" + TwoTiers.freePort(),
                "service::telemetry::metrics::address=127.0.0.1:0",
                "receivers::kafka::group_id=dashboard-it",
                "receivers::kafka::dead_letter::topic=otlp_dead_letter",
                "processors::tail_sampling::decision_wait=1s"));
    String ingestionText;
    String processingText;
    try {
      processing.start();
      ingestion.start();
      TraceWorkload w = new TraceWorkload(60, 60, 17);
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpc).build()) {
        for (List<SpanData> r : w.requests) {
          assertThat(e.export(r).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
      }
      assertThat(post(http, "/v1/logs", logs().toByteArray())).isEqualTo(200);
      assertThat(post(http, "/v1/metrics", metrics().toByteArray())).isEqualTo(200);
      assertThat(post(http, "/v1/traces", "not protobuf".getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(400);
      try (var p = broker.producer(Map.of())) {
        p.send(new ProducerRecord<>("otlp_spans", 0, null, new byte[] {1, 2, 3})).get();
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      do {
        Thread.sleep(250);
        processingText = scrape(processing.metricsPort());
      } while ((value(processingText, "otelcol_kafka_receiver_dead_letter_records_total") < 1
              || value(processingText, "otelcol_exporter_sent_spans_total") < 1
              || value(processingText, "otelcol_kafka_consumer_commits_total") < 1)
          && System.nanoTime() < until);
      ingestionText = scrape(ingestion.metricsPort());
    } finally {
      ingestion.shutdown(Duration.ofSeconds(20));
      processing.shutdown(Duration.ofSeconds(20));
      backend.shutdownNow();
    }
    assertThat(backendSpans.get()).as("sampled spans at the backend").isPositive();

    Set<String> exported = new TreeSet<>(series(ingestionText));
    exported.addAll(series(processingText));
    Set<String> used = new TreeSet<>(namesIn(dashboardExprs()));
    used.addAll(namesIn(ruleExprs()));
    assertThat(used).hasSizeGreaterThan(30);
    assertThat(used)
        .as("names the dashboard and rules use, missing from both tiers")
        .isSubsetOf(exported);
    String doc = Files.readString(DOC);
    for (String name : used) {
      String base = name.replaceAll("_(total|bucket|sum|count)$", "");
      assertThat(doc).as("docs/TELEMETRY.md documents " + base).contains("`" + base + "`");
    }
    for (String name : KafkaClientMetrics.names()) {
      assertThat(doc).as("docs/TELEMETRY.md documents " + name).contains("`" + name + "`");
    }

    // the Kafka clients' own metrics hold what happened
    assertThat(value(ingestionText, "otelcol_kafka_producer_records_sent_total"))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(ingestionText, "otelcol_kafka_producer_record_errors_total")).isZero();
    assertThat(value(ingestionText, "otelcol_kafka_broker_connects_total"))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(processingText, "otelcol_kafka_consumer_rebalances_total"))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(processingText, "otelcol_kafka_consumer_assigned_partitions")).isEqualTo(9);
    assertThat(processingText)
        .containsPattern(
            "otelcol_kafka_consumer_records_lag\\{partition=\"[0-2]\",receiver=\"kafka\",topic=\"otlp_spans\"}");
    assertThat(value(processingText, "otelcol_kafka_receiver_dead_letter_records_total"))
        .isEqualTo(1);
    // the transport label says how the data came in
    assertThat(ingestionText)
        .containsPattern(
            "otelcol_receiver_accepted_log_records_total\\{receiver=\"otlp\",transport=\"http\"}"
                + " 1\\.0")
        .containsPattern(
            "otelcol_receiver_accepted_spans_total\\{receiver=\"otlp\",transport=\"grpc\"} "
                + "[1-9]");
  }

  private static Service service(ConfigLoader loader, String tier, List<String> sets)
      throws Exception {
    var cfg = loader.load(List.of(Path.of("config", tier + ".yaml").toString()), sets);
    return new Service(
        cfg,
        new BuildInfo("tiercel-" + tier, tier, "it"),
        new MetricsRegistry(),
        Clock.systemUTC());
  }

  private static int post(int port, String path, byte[] body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String scrape(int port) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The series names of a Prometheus text exposition (sample lines only). */
  static Set<String> series(String text) {
    Set<String> out = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int end = line.indexOf('{');
      out.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
    }
    return out;
  }

  /** The sum of every sample of {@code name} (0 when absent). */
  private static double value(String text, String name) {
    double sum = 0;
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([-0-9.E+NaInf]+)$")
            .matcher(text);
    while (m.find()) {
      double v = Double.parseDouble(m.group(2));
      if (!Double.isNaN(v)) {
        sum += v;
      }
    }
    return sum;
  }

  static List<String> dashboardExprs() throws Exception {
    String json = Files.readString(DASHBOARD);
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    while (m.find()) {
      out.add(m.group(1).replace("\\\"", "\""));
    }
    assertThat(out).isNotEmpty();
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<String> ruleExprs() throws Exception {
    Map<String, Object> doc = new Yaml().load(Files.readString(RULES));
    List<String> out = new ArrayList<>();
    for (Object g : (List<Object>) doc.get("groups")) {
      for (Object r : (List<Object>) ((Map<String, Object>) g).get("rules")) {
        out.add((String) ((Map<String, Object>) r).get("expr"));
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }

  static Set<String> namesIn(List<String> exprs) {
    Set<String> out = new TreeSet<>();
    for (String e : exprs) {
      Matcher m = NAME.matcher(e);
      while (m.find()) {
        out.add(m.group());
      }
    }
    return out;
  }

  private static ExportLogsServiceRequest logs() {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .addScopeLogs(
                    ScopeLogs.newBuilder()
                        .addLogRecords(
                            LogRecord.newBuilder()
                                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
                                .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L))))
        .build();
  }

  private static ExportMetricsServiceRequest metrics() {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("queue_depth")
                                .setGauge(
                                    Gauge.newBuilder()
                                        .addDataPoints(
                                            NumberDataPoint.newBuilder()
                                                .setAsInt(3)
                                                .setTimeUnixNano(
                                                    System.currentTimeMillis() * 1_000_000L))))))
        .build();
  }
}
