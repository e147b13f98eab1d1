package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code service.telemetry.metrics.readers}: a pull reader serves Prometheus text while two
 * periodic readers push the same internal metrics over OTLP/gRPC and OTLP/HTTP to real sinks (a
 * grpc-java server and a JDK HTTP server), which receive them under the documented names and labels
 * with the service's resource.
 */
@Tag("integration")
class TelemetryReadersIT {
  @TempDir Path dir;

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void periodicReadersPushTheInternalMetricsOverGrpcAndHttp() throws Exception {
    ConcurrentLinkedQueue<ExportMetricsServiceRequest> grpcGot = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<ExportMetricsServiceRequest> httpGot = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> httpAuth = new ConcurrentLinkedQueue<>();
    Server grpcSink =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new MetricsServiceGrpc.MetricsServiceImplBase() {
                  @Override
                  public void export(
                      ExportMetricsServiceRequest request,
                      StreamObserver<ExportMetricsServiceResponse> out) {
                    grpcGot.add(request);
                    out.onNext(ExportMetricsServiceResponse.getDefaultInstance());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    HttpServer httpSink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    httpSink.createContext(
        "/v1/metrics",
        ex -> {
          try (ex;
              InputStream in = ex.getRequestBody()) {
            httpGot.add(ExportMetricsServiceRequest.parseFrom(in.readAllBytes()));
            httpAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] body = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
        });
    httpSink.start();
    int otlpPort = freePort();
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:%d}
        exporters:
          file: {path: %s}
        service:
          pipelines:
            traces: {receivers: [otlp], exporters: [file]}
          telemetry:
            metrics:
              readers:
                - pull: {exporter: {prometheus: {host: 127.0.0.1, port: 0}}}
                - periodic:
                    interval: 200
                    exporter:
                      otlp: {protocol: grpc, endpoint: "http://127.0.0.1:%d"}
                - periodic:
                    interval: 200
                    timeout: 5000
                    exporter:
                      otlp:
                        protocol: http/protobuf
                        endpoint: "http://127.0.0.1:%d"
                        compression: none
                        headers: [{name: Authorization, value: "Bearer s3cret"}]
        """
            .formatted(
                otlpPort,
                dir.resolve("out.jsonl"),
                grpcSink.getPort(),
                httpSink.getAddress().getPort()));
    var cfg =
        new ConfigLoader(ComponentRegistry.load(), System::getenv)
            .load(List.of(config.toString()), List.of());
    String printed =
        io.tiercel.core.config.EffectiveConfig.toYaml(
            io.tiercel.core.config.EffectiveConfig.tree(cfg));
    assertThat(printed)
        .contains("protocol: http/protobuf")
        .contains("[REDACTED]")
        .doesNotContain("s3cret");
    Service service =
        new Service(
            cfg,
            new BuildInfo("tiercel-test", "test", "1.2.3"),
            new MetricsRegistry(),
            Clock.systemUTC());
    service.start();
    List<SpanData> spans = SdkData.spans();
    double n = spans.size();
    try {
      assertThat(service.metricsPort()).isPositive(); // the pull reader still serves
      try (OtlpGrpcSpanExporter e =
          OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + otlpPort).build()) {
        assertThat(e.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((accepted(grpcGot) < n || accepted(httpGot) < n) && System.nanoTime() < until) {
        Thread.sleep(50);
      }
    } finally {
      service.shutdown(Duration.ofSeconds(10));
      grpcSink.shutdownNow();
      httpSink.stop(0);
    }
    for (ConcurrentLinkedQueue<ExportMetricsServiceRequest> got : List.of(grpcGot, httpGot)) {
      assertThat(accepted(got)).isEqualTo(n);
      ExportMetricsServiceRequest last = List.copyOf(got).get(got.size() - 1);
      List<KeyValue> resource = last.getResourceMetrics(0).getResource().getAttributesList();
      assertThat(attr(resource, "service.name")).isEqualTo("tiercel-test");
      assertThat(attr(resource, "service.version")).isEqualTo("1.2.3");
      assertThat(attr(resource, "service.instance.id")).isNotEmpty();
      List<String> names = new ArrayList<>();
      last.getResourceMetrics(0)
          .getScopeMetrics(0)
          .getMetricsList()
          .forEach(m -> names.add(m.getName()));
      assertThat(names)
          .contains(
              "otelcol_receiver_accepted_spans",
              "otelcol_receiver_refused_spans",
              "otelcol_exporter_sent_spans",
              "otelcol_process_uptime");
      Metric accepted = metric(last, "otelcol_receiver_accepted_spans");
      assertThat(accepted.getSum().getIsMonotonic()).isTrue();
    }
    assertThat(httpAuth).isNotEmpty().allMatch("Bearer s3cret"::equals);
  }

  /**
   * The value of {@code otelcol_receiver_accepted_spans{receiver=otlp,transport=grpc}} last sent.
   */
  private static double accepted(ConcurrentLinkedQueue<ExportMetricsServiceRequest> got) {
    List<ExportMetricsServiceRequest> all = List.copyOf(got);
    if (all.isEmpty()) {
      return -1;
    }
    Metric m = metric(all.get(all.size() - 1), "otelcol_receiver_accepted_spans");
    if (m == null) {
      return -1;
    }
    for (NumberDataPoint p : m.getSum().getDataPointsList()) {
      if ("otlp".equals(attr(p.getAttributesList(), "receiver"))
          && "grpc".equals(attr(p.getAttributesList(), "transport"))) {
        return p.getAsDouble();
      }
    }
    return -1;
  }

  private static Metric metric(ExportMetricsServiceRequest r, String name) {
    return r.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static String attr(List<KeyValue> attrs, String key) {
    return attrs.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse(null);
  }
}
