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

/**
 * OTLP/HTTP against a real receiver: the Java SDK's exporters, and bad input over a raw HTTP
 * client.
 */
@Tag("integration")
class OtlpHttpIT {
  private static final String PROTO = "application/x-protobuf";
  private ReceiverFixture fx;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    fx = ReceiverFixture.all();
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
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
    try (OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(fx.httpUrl("/v1/traces"))
            .addHeader("x-tenant", "acme")
            .setRetryPolicy(null)
            .build()) {
      assertThat(exporter.export(SdkData.spans()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    RecordingSink.Call<Traces> call = fx.traces.next();
    assertThat(call.data().itemCount()).isEqualTo(2);
    assertThat(call.data().message().getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(Span::getName)
        .containsExactlyInAnyOrder("parent", "child");
    assertThat(call.context().first("x-tenant")).contains("acme");

    try (OtlpHttpMetricExporter exporter =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(fx.httpUrl("/v1/metrics"))
            .setCompression("gzip")
            .setRetryPolicy(null)
            .build()) {
      assertThat(exporter.export(SdkData.metrics()).join(10, TimeUnit.SECONDS).isSuccess())
          .isTrue();
    }
    var metric =
        fx.metrics.next().data().message().getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertThat(metric.getName()).isEqualTo("requests");
    assertThat(metric.getSum().getDataPointsList())
        .extracting(NumberDataPoint::getAsInt)
        .containsExactlyInAnyOrder(3L, 4L);

    try (OtlpHttpLogRecordExporter exporter =
        OtlpHttpLogRecordExporter.builder()
            .setEndpoint(fx.httpUrl("/v1/logs"))
            .setRetryPolicy(null)
            .build()) {
      assertThat(exporter.export(SdkData.logs()).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(
            fx.logs
                .next()
                .data()
                .message()
                .getResourceLogs(0)
                .getScopeLogs(0)
                .getLogRecords(0)
                .getBody()
                .getStringValue())
        .isEqualTo("hello");
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
    CompletableFuture<HttpResponse<byte[]>> answer =
        client.sendAsync(
            request("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()),
            HttpResponse.BodyHandlers.ofByteArray());
    RecordingSink.Call<Traces> call = fx.traces.next();
    assertThat(answer).isNotDone();
    call.answer().complete(null);
    assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void jsonRequestsArriveAndAreAnsweredInJson() throws Exception {
    // the SDK's own OTLP/JSON encoding (what its HTTP/JSON exporters send)
    List<io.opentelemetry.sdk.trace.data.SpanData> spans = SdkData.spans();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler.create(spans)
        .writeJsonTo(json);
    HttpResponse<byte[]> r = post("/v1/traces", "application/json", null, json.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{}");
    Traces t = fx.traces.next().data();
    assertThat(t.itemCount()).isEqualTo(2);
    List<Span> got = t.message().getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertThat(got).extracting(Span::getName).containsExactlyInAnyOrder("parent", "child");
    Span parent = got.stream().filter(s -> s.getName().equals("parent")).findFirst().orElseThrow();
    io.opentelemetry.sdk.trace.data.SpanData sdkParent =
        spans.stream().filter(s -> s.getName().equals("parent")).findFirst().orElseThrow();
    assertThat(java.util.HexFormat.of().formatHex(parent.getTraceId().toByteArray()))
        .isEqualTo(sdkParent.getTraceId());
    assertThat(java.util.HexFormat.of().formatHex(parent.getSpanId().toByteArray()))
        .isEqualTo(sdkParent.getSpanId());
    assertThat(parent.getAttributes(0).getValue().getStringValue()).isEqualTo("GET");

    ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler.create(
            SdkData.metrics())
        .writeJsonTo(metrics);
    assertThat(
            post(
                    "/v1/metrics",
                    "application/json; charset=utf-8",
                    "gzip",
                    gzip(metrics.toByteArray()))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            fx.metrics
                .next()
                .data()
                .message()
                .getResourceMetrics(0)
                .getScopeMetrics(0)
                .getMetrics(0)
                .getSum()
                .getDataPointsList())
        .extracting(NumberDataPoint::getAsInt)
        .containsExactlyInAnyOrder(3L, 4L);

    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler.create(SdkData.logs())
        .writeJsonTo(logs);
    assertThat(post("/v1/logs", "application/json", null, logs.toByteArray()).statusCode())
        .isEqualTo(200);
    assertThat(
            fx.logs
                .next()
                .data()
                .message()
                .getResourceLogs(0)
                .getScopeLogs(0)
                .getLogRecords(0)
                .getBody()
                .getStringValue())
        .isEqualTo("hello");
  }

  @Test
  void badJsonIs400WithAJsonStatus() throws Exception {
    HttpResponse<byte[]> r =
        post(
            "/v1/traces",
            "application/json",
            null,
            "{\"resourceSpans\": [".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(body)
        .isEqualTo(
            "{\"code\":3,\"message\":\"malformed OTLP traces JSON: unexpected end of input inside"
                + " an array at line 1, column 20 (offset 19)\"}");
    fx.traces.failWith(new RetryableException("exporter queue is full"));
    r =
        post(
            "/v1/traces",
            "application/json",
            null,
            "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"code\":14,\"message\":\"exporter queue is full\"}");
  }

  @Test
  void compressedBodiesAreDecompressed() throws Exception {
    byte[] req = OtlpGrpcIT.validTraces();
    assertThat(post("/v1/traces", PROTO, "gzip", gzip(req)).statusCode()).isEqualTo(200);
    assertThat(post("/v1/traces", PROTO, "deflate", zlib(req)).statusCode()).isEqualTo(200);
    assertThat(post("/v1/traces", PROTO, "zlib", zlib(req)).statusCode()).isEqualTo(200);
    assertThat(
            post("/v1/traces", PROTO, "zstd", com.github.luben.zstd.Zstd.compress(req))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post("/v1/traces", PROTO, "snappy", org.xerial.snappy.Snappy.compress(req))
                .statusCode())
        .isEqualTo(200);
    for (int i = 0; i < 5; i++) {
      assertThat(fx.traces.next().data().bytes()).isEqualTo(req);
    }
  }

  @Test
  void badInputGetsTheCollectorsStatusCodesAndTheReceiverKeepsServing() throws Exception {
    byte[] garbage = {0x0a, 100, 1, 2};
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, garbage);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).contains(PROTO);
    com.google.rpc.Status st = com.google.rpc.Status.parseFrom(r.body());
    assertThat(st.getCode()).isEqualTo(3);
    assertThat(st.getMessage())
        .isEqualTo("malformed OTLP traces protobuf: length 100 exceeds the enclosing message");
    assertServing();

    r = post("/v1/traces", "text/plain", null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            "415 unsupported media type, supported: [application/json, application/x-protobuf]");
    assertServing();

    r =
        client.send(
            HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces"))).GET().build(),
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
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
        .isEqualTo("unsupported Content-Encoding: br");
    assertServing();

    byte[] truncated = gzip(OtlpGrpcIT.validTraces());
    truncated = Arrays.copyOf(truncated, truncated.length - 10);
    r = post("/v1/traces", PROTO, "gzip", truncated);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
        .startsWith("cannot decompress the gzip request body: ");
    assertServing();

    assertThat(fx.traces.calls()).hasSize(6); // only the good requests arrived
  }

  @Test
  void aBodyOverTheLimitIs413WithOrWithoutContentLength() throws Exception {
    byte[] big = new byte[30 * 1024 * 1024];
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
        .isEqualTo("request body too large: 31457280 bytes, the limit is 20971520");
    assertServing();

    assertThat(fx.traces.calls()).hasSize(1);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413WhileReading() throws Exception {
    fx.close();
    // a 1 MiB limit keeps the test light; the check is the same one (no Content-Length, found while
    // reading)
    fx =
        ReceiverFixture.of(
            new OtlpReceiverConfig(
                new OtlpReceiverConfig.Protocols(
                    null,
                    new OtlpReceiverConfig.Http(
                        "127.0.0.1:0",
                        null,
                        null,
                        1024L * 1024,
                        false,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null))));
    byte[] big = new byte[3 * 1024 * 1024];
    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
            .header("Content-Type", PROTO)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();
    HttpResponse<byte[]> r = client.send(chunked, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
        .isEqualTo("request body too large: the limit is 1048576 bytes");
    assertServing();
    assertThat(fx.traces.calls()).hasSize(1);
  }

  @Test
  void aGzipBombStopsAtTheLimit() throws Exception {
    // 64 MiB of zeros compress to about 64 KiB: the receiver must stop inflating at 20 MiB
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 64; i++) {
        gz.write(zeros);
      }
    }
    assertThat(bytes.size()).isLessThan(1024 * 1024);
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, "gzip", bytes.toByteArray());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
        .isEqualTo("the decompressed request body exceeds 20971520 bytes");
    assertServing();
  }

  @Test
  void pipelineFailuresMapToTheCollectorsStatusCodes() throws Exception {
    fx.traces.failWith(new RetryableException("exporter queue is full"));
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).isEmpty();
    com.google.rpc.Status st = com.google.rpc.Status.parseFrom(r.body());
    assertThat(st.getCode()).isEqualTo(14);
    assertThat(st.getMessage()).isEqualTo("exporter queue is full");

    fx.traces.failWith(
        new RetryableException("memory limit reached", null, Duration.ofMillis(2500)));
    r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).contains("3");
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getCode()).isEqualTo(8);

    fx.traces.failWith(new PermanentException("rejected by the backend"));
    r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(500);
    st = com.google.rpc.Status.parseFrom(r.body());
    assertThat(st.getCode()).isEqualTo(13);
    assertThat(st.getMessage()).isEqualTo("rejected by the backend");

    fx.traces.failWith(new IllegalStateException("a bug downstream"));
    r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode())
        .as("an unclassified failure is retryable, as in the collector")
        .isEqualTo(503);
  }

  @Test
  void includeMetadataPutsHeadersIntoTheContext() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
            .header("Content-Type", PROTO)
            .header("X-Tenant", "acme")
            .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpGrpcIT.validTraces()))
            .build();
    assertThat(client.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode())
        .isEqualTo(200);
    assertThat(fx.traces.next().context().get("x-tenant")).containsExactly("acme");
  }

  @Test
  void aSignalWithoutPipelineIs404() throws Exception {
    fx.close();
    fx = ReceiverFixture.tracesOnly();
    assertThat(post("/v1/metrics", PROTO, null, new byte[0]).statusCode()).isEqualTo(404);
    assertThat(post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()).statusCode())
        .isEqualTo(200);
    assertThat(fx.traces.next().context().metadata()).as("include_metadata is off").isEmpty();
  }

  @Test
  void floodBeyondTheInFlightBoundIs503() throws Exception {
    fx.close();
    fx = ReceiverFixture.withMaxInFlight(2);
    fx.traces.hold();
    CompletableFuture<HttpResponse<byte[]>> a =
        client.sendAsync(
            request("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()),
            HttpResponse.BodyHandlers.ofByteArray());
    CompletableFuture<HttpResponse<byte[]>> b =
        client.sendAsync(
            request("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()),
            HttpResponse.BodyHandlers.ofByteArray());
    RecordingSink.Call<Traces> ca = fx.traces.next();
    RecordingSink.Call<Traces> cb = fx.traces.next();
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
        .isEqualTo("too many requests in flight");
    ca.answer().complete(null);
    cb.answer().complete(null);
    assertThat(a.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(b.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    fx.awaitIdle();
    fx.traces.succeed();
    assertServing();
  }

  @Test
  void bodiesBeyondTheMemoryBoundAre503() throws Exception {
    fx.close();
    fx = ReceiverFixture.withMaxBytes(1024 * 1024);
    fx.traces.hold();
    byte[] big = bigTraces(600 * 1024);
    CompletableFuture<HttpResponse<byte[]>> held =
        client.sendAsync(
            request("/v1/traces", PROTO, null, big), HttpResponse.BodyHandlers.ofByteArray());
    RecordingSink.Call<Traces> call = fx.traces.next();
    assertThat(fx.receiver.bytesInFlightForTest()).isEqualTo(big.length);
    HttpResponse<byte[]> r = post("/v1/traces", PROTO, null, big);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(com.google.rpc.Status.parseFrom(r.body()).getMessage())
        .isEqualTo("too much request data in flight");
    call.answer().complete(null);
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    fx.awaitIdle();
    fx.traces.succeed();
    assertThat(post("/v1/traces", PROTO, null, big).statusCode()).isEqualTo(200);
    fx.awaitIdle();
    assertThat(fx.receiver.bytesInFlightForTest()).isZero();
    assertThat(fx.receiver.inFlightForTest()).isZero();
  }

  /** A valid request of about {@code size} bytes (one span with a long name). */
  private static byte[] bigTraces(int size) {
    return io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                .addScopeSpans(
                    io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                        .addSpans(Span.newBuilder().setName("x".repeat(size)))))
        .build()
        .toByteArray();
  }

  @Test
  void corsPreflightAndActualRequest() throws Exception {
    fx.close();
    OtlpReceiverConfig.Http http =
        new OtlpReceiverConfig.Http(
            "127.0.0.1:0",
            null,
            new OtlpReceiverConfig.Cors(
                List.of("https://*.example.com"), List.of("X-Tenant"), 7200),
            null,
            false,
            null,
            null,
            null,
            null,
            null,
            java.util.Map.of("X-Served-By", "tiercel"));
    fx = ReceiverFixture.of(new OtlpReceiverConfig(new OtlpReceiverConfig.Protocols(null, http)));
    HttpRequest preflight =
        HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "https://app.example.com")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type, x-tenant")
            .build();
    HttpResponse<byte[]> r = client.send(preflight, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-origin"))
        .contains("https://app.example.com");
    assertThat(r.headers().firstValue("access-control-allow-methods")).contains("POST");
    assertThat(r.headers().firstValue("access-control-max-age")).contains("7200");

    HttpRequest other =
        HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", "https://evil.test")
            .header("Access-Control-Request-Method", "POST")
            .build();
    r = client.send(other, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();

    HttpRequest actual =
        HttpRequest.newBuilder(URI.create(fx.httpUrl("/v1/traces")))
            .header("Content-Type", PROTO)
            .header("Origin", "https://app.example.com")
            .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpGrpcIT.validTraces()))
            .build();
    r = client.send(actual, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin"))
        .contains("https://app.example.com");
    assertThat(r.headers().firstValue("x-served-by")).as("response_headers").contains("tiercel");
  }

  @Test
  void shutdownRefusesNewRequestsAndDrainsTheOnesInFlight() throws Exception {
    fx.traces.hold();
    CompletableFuture<HttpResponse<byte[]>> inFlight =
        client.sendAsync(
            request("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces()),
            HttpResponse.BodyHandlers.ofByteArray());
    RecordingSink.Call<Traces> call = fx.traces.next();
    // a second connection, opened before shutdown, stays open until the drain ends
    try (java.net.Socket other = new java.net.Socket("127.0.0.1", fx.httpPort())) {
      other.setSoTimeout(10_000);
      assertThat(rawPost(other, "/v1/logs")).startsWith("HTTP/1.1 200 ");
      CompletableFuture<Void> shutdown =
          CompletableFuture.runAsync(
              () -> {
                try {
                  fx.receiver.shutdown(
                      io.tiercel.core.component.Deadline.in(Duration.ofSeconds(20)));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // once shutdown began, a request on the open connection is refused while the one in flight
      // drains
      String answer = rawPost(other, "/v1/logs");
      for (int i = 0; i < 500 && answer.startsWith("HTTP/1.1 200 "); i++) {
        Thread.sleep(10);
        answer = rawPost(other, "/v1/logs");
      }
      assertThat(answer).startsWith("HTTP/1.1 503 ");
      assertThat(answer).containsIgnoringCase("connection: close");
      assertThat(shutdown).isNotDone();
      call.answer().complete(null);
      assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      shutdown.get(10, TimeUnit.SECONDS);
    }
  }

  /** Sends an empty protobuf POST on a raw connection; returns the response head. */
  private static String rawPost(java.net.Socket s, String path) throws IOException {
    s.getOutputStream()
        .write(
            ("POST "
                    + path
                    + " HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    + PROTO
                    + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    java.io.InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new java.io.EOFException("connection closed after: " + head);
      }
      head.append((char) c);
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (m.find()) {
      in.readNBytes(Integer.parseInt(m.group(1)));
    }
    return head.toString();
  }

  @Test
  void anIdleConnectionIsClosed() throws Exception {
    fx.close();
    fx =
        ReceiverFixture.of(
            new OtlpReceiverConfig(
                new OtlpReceiverConfig.Protocols(
                    null,
                    new OtlpReceiverConfig.Http(
                        "127.0.0.1:0",
                        null,
                        null,
                        null,
                        false,
                        null,
                        null,
                        null,
                        null,
                        Duration.ofMillis(200),
                        null))));
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", fx.httpPort())) {
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read())
          .as("the server closed the idle connection")
          .isEqualTo(-1);
    }
  }

  private void assertServing() throws Exception {
    HttpResponse<byte[]> ok = post("/v1/traces", PROTO, null, OtlpGrpcIT.validTraces());
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  private HttpResponse<byte[]> post(String path, String contentType, String encoding, byte[] body)
      throws IOException, InterruptedException {
    return client.send(
        request(path, contentType, encoding, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest request(String path, String contentType, String encoding, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(fx.httpUrl(path)))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
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
