package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Traces;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** OTLP/HTTP against a real receiver: the Java SDK's exporters, and bad input over a raw HTTP client. */
@Tag("integration")
class OtlpHttpIT {
  private static final String PROTO = "application/x-protobuf";
  private ReceiverFixture fx;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    fx = ReceiverFixture.all();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void sdkExportersDeliverTracesMetricsAndLogs() throws Exception {
    try (OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(fx.httpUrl("/v1/traces")).addHeader("x-tenant", "acme").setRetryPolicy(null).build()) {
      assertThat(exporter.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    RecordingSink.Call<Traces> call = fx.traces.next();
    assertThat(call.data().itemCount()).isEqualTo(2);
    assertThat(call.data().message().getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(Span::getName).containsExactlyInAnyOrder("parent", "child");
    assertThat(call.context().first("x-tenant")).contains("acme");

    try (OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
        .setEndpoint(fx.httpUrl("/v1/metrics")).setCompression("gzip").setRetryPolicy(null).build()) {
      assertThat(exporter.export(SdkData.metrics()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    var metric = fx.metrics.next().data().message().getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertThat(metric.getName()).isEqualTo("requests");
    assertThat(metric.getSum().getDataPointsList()).extracting(NumberDataPoint::getAsInt)
        .containsExactlyInAnyOrder(3L, 4L);

    try (OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(fx.httpUrl("/v1/logs")).setRetryPolicy(null).build()) {
      assertThat(exporter.export(SdkData.logs()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(fx.logs.next().data().message().getResourceLogs(0).getScopeLogs(0).getLogRecords(0)
        .getBody().getStringValue()).isEqualTo("hello");
  }

  @Test
  void successIsAnEmptyResponseInTheRequestEncoding() throws Exception {
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains(PROTO);
    assertThat(r.body()).isEmpty();
    assertThat(fx.traces.next().data().itemCount()).isEqualTo(1);
  }

  @Test
  void answersOnlyWhenThePipelineCompletes() throws Exception {
    fx.traces.hold();
    CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(
        request("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()), HttpResponse.BodyHandlers.ofByteArray());
    RecordingSink.Call<Traces> call = fx.traces.next();
    assertThat(answer).isNotDone();
    call.answer().complete(null);
    assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void gzipAndDeflateBodiesAreDecompressed() throws Exception {
    assertThat(post("/v1/traces", PROTO, "gzip", gzip(OtlpGrpcIT.validTraces())).statusCode()).isEqualTo(200);
    assertThat(post("/v1/traces", PROTO, "deflate", zlib(OtlpGrpcIT.validTraces())).statusCode()).isEqualTo(200);
    assertThat(post("/v1/traces", PROTO, "zlib", zlib(OtlpGrpcIT.validTraces())).statusCode()).isEqualTo(200);
    assertThat(fx.traces.next().data().itemCount()).isEqualTo(1);
    assertThat(fx.traces.next().data().itemCount()).isEqualTo(1);
    assertThat(fx.traces.next().data().itemCount()).isEqualTo(1);
  }

  @Test
  void badInputGetsTheCollectorsStatusCodesAndTheReceiverKeepsServing() throws Exception {
    byte[] garbage = {0x0a, 100, 1, 2};
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, garbage);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).contains(PROTO);
    com.google.rpc.Status st = Media.parseStatus(r.body());
    assertThat(st.getCode()).isEqualTo(3);
    assertThat(st.getMessage()).isEqualTo("malformed OTLP traces protobuf: length 100 exceeds the enclosing message");
    assertServing();

    r = post("/v1/traces", "text/plain", null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("415 unsupported media type, supported: [application/json, application/x-protobuf]");
    assertServing();

    r = client.send(HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces"))).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).contains("POST");
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("405 method not allowed, supported: [POST]");
    assertServing();

    r = post("/v2/nothing", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(404);
    assertServing();

    r = post("/v1/traces", PROTO, "br", OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Media.parseStatus(r.body()).getMessage()).isEqualTo("unsupported Content-Encoding \"br\"");
    assertServing();

    byte[] truncated = gzip(OtlpGrpcIT.validTraces());
    truncated = Arrays.copyOf(truncated, truncated.length - 10);
    r = post("/v1/traces", PROTO, "gzip", truncated);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Media.parseStatus(r.body()).getMessage())
        .startsWith("cannot decompress the gzip request body: ");
    assertServing();

    assertThat(fx.traces.calls()).hasSize(6); // only the good requests arrived
  }

  @Test
  void aBodyOverTheLimitIs413WithOrWithoutContentLength() throws Exception {
    byte[] big = new byte[30 * 1024 * 1024];
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Media.parseStatus(r.body()).getMessage())
        .isEqualTo("request body too large: 31457280 bytes, the limit is 20971520");
    assertServing();

    // chunked: no Content-Length, the limit is found while reading
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
        .header("Content-Type", PROTO)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
    r = client.send(chunked, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Media.parseStatus(r.body()).getMessage())
        .isEqualTo("request body too large: the limit is 20971520 bytes");
    assertServing();
    assertThat(fx.traces.calls()).hasSize(2);
  }

  @Test
  void aGzipBombStopsAtTheLimit() throws Exception {
    // 200 MiB of zeros compress to about 200 KiB: the receiver must stop inflating at 20 MiB
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 200; i++) {
        gz.write(zeros);
      }
    }
    assertThat(bytes.size()).isLessThan(1024 * 1024);
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, "gzip", bytes.toByteArray());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Media.parseStatus(r.body()).getMessage())
        .isEqualTo("the decompressed request body exceeds 20971520 bytes");
    assertServing();
  }

  @Test
  void pipelineFailuresMapToTheCollectorsStatusCodes() throws Exception {
    fx.traces.failWith(new RetryableException("exporter queue is full"));
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).isEmpty();
    com.google.rpc.Status st = Media.parseStatus(r.body());
    assertThat(st.getCode()).isEqualTo(14);
    assertThat(st.getMessage()).isEqualTo("exporter queue is full");

    fx.traces.failWith(new RetryableException("memory limit reached", null, Duration.ofMillis(2500)));
    r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).contains("3");
    assertThat(Media.parseStatus(r.body()).getCode()).isEqualTo(8);

    fx.traces.failWith(new PermanentException("rejected by the backend"));
    r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(500);
    st = Media.parseStatus(r.body());
    assertThat(st.getCode()).isEqualTo(13);
    assertThat(st.getMessage()).isEqualTo("rejected by the backend");

    fx.traces.failWith(new IllegalStateException("a bug downstream"));
    r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).as("an unclassified failure is retryable, as in the collector").isEqualTo(503);
  }

  @Test
  void includeMetadataPutsHeadersIntoTheContext() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
        .header("Content-Type", PROTO).header("X-Tenant", "acme")
        .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpGrpcIT.validTraces())).build();
    assertThat(client.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
    assertThat(fx.traces.next().context().get("x-tenant")).containsExactly("acme");
  }

  @Test
  void aSignalWithoutPipelineIs404() throws Exception {
    fx.close();
    fx = ReceiverFixture.tracesOnly();
    assertThat(post("/v1/metrics", PROTO, null, new byte[0]).statusCode()).isEqualTo(404);
    assertThat(post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()).statusCode()).isEqualTo(200);
    assertThat(fx.traces.next().context().metadata()).as("include_metadata is off").isEmpty();
  }

  @Test
  void floodBeyondTheInFlightBoundIs503() throws Exception {
    fx.close();
    fx = ReceiverFixture.withMaxInFlight(2);
    fx.traces.hold();
    CompletableFuture<HttpResponse<byte[]>> a = client.sendAsync(
        request("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()), HttpResponse.BodyHandlers.ofByteArray());
    CompletableFuture<HttpResponse<byte[]>> b = client.sendAsync(
        request("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()), HttpResponse.BodyHandlers.ofByteArray());
    RecordingSink.Call<Traces> ca = fx.traces.next();
    RecordingSink.Call<Traces> cb = fx.traces.next();
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(Media.parseStatus(r.body()).getMessage()).isEqualTo("too many requests in flight");
    ca.answer().complete(null);
    cb.answer().complete(null);
    assertThat(a.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(b.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    fx.traces.succeed();
    assertServing();
  }

  @Test
  void corsPreflightAndActualRequest() throws Exception {
    fx.close();
    OtlpReceiverConfig.Http http = new OtlpReceiverConfig.Http("127.0.0.1:0", null,
        new OtlpReceiverConfig.Cors(List.of("https://*.example.com"), List.of("X-Tenant"), 7200),
        null, false, null, null, null);
    fx = ReceiverFixture.of(new OtlpReceiverConfig(new OtlpReceiverConfig.Protocols(null, http)));
    HttpRequest preflight = HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://app.example.com")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type, x-tenant").build();
    HttpResponse<byte[]> r = client.send(preflight, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
    assertThat(r.headers().firstValue("access-control-allow-methods")).contains("POST");
    assertThat(r.headers().firstValue("access-control-max-age")).contains("7200");

    HttpRequest other = HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.test")
        .header("Access-Control-Request-Method", "POST").build();
    r = client.send(other, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();

    HttpRequest actual = HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
        .header("Content-Type", PROTO).header("Origin", "https://app.example.com")
        .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpGrpcIT.validTraces())).build();
    r = client.send(actual, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin")).contains("https://app.example.com");
  }

  private void assertServing() throws Exception {
    HttpResponse<byte[]> ok = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  private HttpResponse<byte[]> post(String path, String contentType, String encoding, byte[] body)
      throws IOException, InterruptedException {
    return client.send(request(path, contentType, encoding, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest request(String path, String contentType, String encoding, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.httpUrl(path))).timeout(Duration.ofSeconds(20))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return b.build();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] zlib(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}
