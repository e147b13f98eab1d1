package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Receiver;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.config.Secret;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.exporterhelper.QueueConfig;
import io.tiercel.core.exporterhelper.RetryConfig;
import io.tiercel.core.exporterhelper.Sizer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.otlp.receiver.OtlpReceiverConfig;
import io.tiercel.otlp.receiver.OtlpReceiverFactory;
import io.tiercel.testing.TestData;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our OTLP exporters against our OTLP receiver over real sockets. */
@Tag("integration")
class OtlpExportersIT {
  private static final RetryConfig FAST =
      new RetryConfig(
          true, Duration.ofMillis(50), 0.2, 1.5, Duration.ofMillis(300), Duration.ofSeconds(60));
  private static final QueueConfig WAIT =
      new QueueConfig(true, 4, 1000, Sizer.REQUESTS, false, true, null);

  private final List<AutoCloseable> closers = new ArrayList<>();

  /** Records what arrives; answers with what {@code answer} says. */
  static final class Sink<T extends OtlpData> implements TelemetryConsumer<T> {
    final List<Context> contexts = new CopyOnWriteArrayList<>();
    final List<T> data = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile Function<Integer, RuntimeException> answer = n -> null;

    @Override
    public CompletableFuture<Void> consume(Context ctx, T d) {
      int n = calls.incrementAndGet();
      RuntimeException e = answer.apply(n);
      if (e != null) {
        return CompletableFuture.failedFuture(e);
      }
      contexts.add(ctx);
      data.add(d);
      return CompletableFuture.completedFuture(null);
    }

    int items() {
      return data.stream().mapToInt(OtlpData::itemCount).sum();
    }
  }

  final Sink<Traces> traces = new Sink<>();
  final Sink<Metrics> metrics = new Sink<>();
  final Sink<Logs> logs = new Sink<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Host host() {
    StatusRegistry status = new StatusRegistry();
    return new Host() {
      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of();
      }

      @Override
      public StatusRegistry status() {
        return status;
      }
    };
  }

  private void receiver(int grpcPort, int httpPort) throws Exception {
    var cfg =
        new OtlpReceiverConfig(
            new OtlpReceiverConfig.Protocols(
                new OtlpReceiverConfig.Grpc(
                    "127.0.0.1:" + grpcPort, null, null, null, null, null, null, null, true),
                new OtlpReceiverConfig.Http(
                    "127.0.0.1:" + httpPort,
                    null,
                    null,
                    null,
                    true,
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
                new Consumers(traces, metrics, logs));
    r.start(host());
    closers.add(() -> r.shutdown(Deadline.in(Duration.ofSeconds(5))));
  }

  private <T extends OtlpData> Exporter<T> grpc(
      Signal signal, int port, QueueConfig queue, Map<String, Secret> hdrs) throws Exception {
    var cfg =
        new OtlpGrpcExporterConfig(
            "http://127.0.0.1:" + port,
            null,
            hdrs,
            Compression.GZIP,
            Duration.ofSeconds(5),
            FAST,
            queue,
            false,
            null,
            null);
    return started(signal, f -> f.create(signal, cfg, new OtlpExporterFactory.Grpc()));
  }

  private <T extends OtlpData> Exporter<T> http(Signal signal, int port, QueueConfig queue)
      throws Exception {
    return http(signal, port, queue, Encoding.PROTO);
  }

  private <T extends OtlpData> Exporter<T> http(
      Signal signal, int port, QueueConfig queue, Encoding encoding) throws Exception {
    var cfg =
        new OtlpHttpExporterConfig(
            "http://127.0.0.1:" + port,
            null,
            null,
            null,
            null,
            Map.of("X-Tenant", Secret.of("acme")),
            Compression.GZIP,
            encoding,
            Duration.ofSeconds(5),
            FAST,
            queue);
    return started(signal, f -> f.create(signal, cfg, new OtlpExporterFactory.Http()));
  }

  private interface Maker {
    <C extends Record> Exporter<?> create(
        Signal s, C cfg, io.tiercel.core.component.ExporterFactory<C> f);
  }

  @SuppressWarnings("unchecked")
  private <T extends OtlpData> Exporter<T> started(Signal signal, Function<Maker, Exporter<?>> how)
      throws Exception {
    Maker m =
        new Maker() {
          @Override
          public <C extends Record> Exporter<?> create(
              Signal s, C cfg, io.tiercel.core.component.ExporterFactory<C> f) {
            Settings st = Settings.forTest(Kind.EXPORTER, ComponentId.of(f.type()), s);
            return switch (s) {
              case TRACES -> f.createTraces(st, cfg);
              case METRICS -> f.createMetrics(st, cfg);
              case LOGS -> f.createLogs(st, cfg);
              case PROFILES -> f.createProfiles(st, cfg);
            };
          }
        };
    Exporter<T> e = (Exporter<T>) how.apply(m);
    e.start(host());
    closers.add(() -> e.shutdown(Deadline.in(Duration.ofSeconds(5))));
    return e;
  }

  static Traces spans(int n, String prefix) {
    TracesData.Builder b = TracesData.newBuilder();
    var rs = b.addResourceSpansBuilder();
    rs.getResourceBuilder()
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("checkout")));
    var ss = rs.addScopeSpansBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(
          Span.newBuilder()
              .setName(prefix + i)
              .setTraceId(
                  ByteString.copyFrom(
                      new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) i}))
              .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i})));
    }
    return Traces.ofBytes(b.build().toByteArray());
  }

  static Metrics points(int n) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < n; i++) {
      g.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(i).setTimeUnixNano(1000 + i));
    }
    return Metrics.of(
        MetricsData.newBuilder()
            .addResourceMetrics(
                io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                    .addScopeMetrics(
                        io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                            .addMetrics(Metric.newBuilder().setName("queue.depth").setGauge(g))))
            .build());
  }

  static Logs records(int n) {
    LogsData.Builder b = LogsData.newBuilder();
    var sl = b.addResourceLogsBuilder().addScopeLogsBuilder();
    for (int i = 0; i < n; i++) {
      sl.addLogRecords(
          LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("line " + i)));
    }
    return Logs.of(b.build());
  }

  @Test
  void grpcDeliversEverySignalByteForByteWithHeaders() throws Exception {
    int g = freePort();
    receiver(g, freePort());
    Exporter<Traces> t = grpc(Signal.TRACES, g, WAIT, Map.of("x-api-key", Secret.of("k-123")));
    Exporter<Metrics> m = grpc(Signal.METRICS, g, WAIT, Map.of());
    Exporter<Logs> l = grpc(Signal.LOGS, g, WAIT, Map.of());
    Traces sent = spans(50, "op");
    t.consume(Context.EMPTY, sent).get(10, TimeUnit.SECONDS);
    m.consume(Context.EMPTY, points(7)).get(10, TimeUnit.SECONDS);
    l.consume(Context.EMPTY, records(9)).get(10, TimeUnit.SECONDS);
    assertThat(traces.items()).isEqualTo(50);
    assertThat(traces.data.get(0).message()).isEqualTo(sent.message());
    assertThat(traces.contexts.get(0).first("x-api-key")).contains("k-123");
    assertThat(metrics.items()).isEqualTo(7);
    assertThat(logs.items()).isEqualTo(9);
  }

  @Test
  void httpDeliversEverySignalWithGzipAndHeaders() throws Exception {
    int h = freePort();
    receiver(freePort(), h);
    Exporter<Traces> t = http(Signal.TRACES, h, WAIT);
    Exporter<Metrics> m = http(Signal.METRICS, h, WAIT);
    Exporter<Logs> l = http(Signal.LOGS, h, WAIT);
    Traces sent = spans(20, "http");
    t.consume(Context.EMPTY, sent).get(10, TimeUnit.SECONDS);
    m.consume(Context.EMPTY, points(3)).get(10, TimeUnit.SECONDS);
    l.consume(Context.EMPTY, records(4)).get(10, TimeUnit.SECONDS);
    assertThat(traces.data.get(0).message()).isEqualTo(sent.message());
    assertThat(traces.contexts.get(0).first("x-tenant")).contains("acme");
    assertThat(metrics.items()).isEqualTo(3);
    assertThat(logs.items()).isEqualTo(4);
  }

  @Test
  void backendDownThenUpLosesNothing() throws Exception {
    int g = freePort();
    int h = freePort();
    QueueConfig ackOnEnqueue = new QueueConfig(true, 4, 1000, Sizer.REQUESTS, false, false, null);
    Exporter<Traces> viaGrpc = grpc(Signal.TRACES, g, ackOnEnqueue, Map.of());
    Exporter<Traces> viaHttp = http(Signal.TRACES, h, ackOnEnqueue);
    for (int i = 0; i < 30; i++) {
      viaGrpc
          .consume(Context.EMPTY, spans(10, "g" + i + "-"))
          .get(5, TimeUnit.SECONDS); // queued while down
      viaHttp.consume(Context.EMPTY, spans(10, "h" + i + "-")).get(5, TimeUnit.SECONDS);
    }
    Thread.sleep(700); // several failed attempts
    assertThat(traces.items()).isZero();
    receiver(g, h);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (traces.items() < 600 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(traces.items()).isEqualTo(600);
    List<String> names = new ArrayList<>();
    traces.data.forEach(
        d ->
            d.message()
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpansList()
                .forEach(s -> names.add(s.getName())));
    assertThat(names).doesNotHaveDuplicates().hasSize(600);
  }

  @Test
  void permanentRefusalsAreNotRetriedAndRetryableOnesAre() throws Exception {
    int g = freePort();
    int h = freePort();
    receiver(g, h);
    traces.answer = n -> new PermanentException("bad data");
    Exporter<Traces> t = grpc(Signal.TRACES, g, WAIT, Map.of());
    assertThatThrownBy(() -> t.consume(Context.EMPTY, spans(1, "x")).get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("gRPC INTERNAL from http://127.0.0.1:" + g);
    assertThat(traces.calls).hasValue(1);

    Exporter<Traces> th = http(Signal.TRACES, h, WAIT);
    assertThatThrownBy(() -> th.consume(Context.EMPTY, spans(1, "y")).get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage("HTTP 500 from http://127.0.0.1:" + h + "/v1/traces: bad data");
    assertThat(traces.calls).hasValue(2);

    // Throttled twice (RESOURCE_EXHAUSTED + RetryInfo / 429 + Retry-After), then accepted.
    traces.calls.set(0);
    traces.answer =
        n -> n <= 2 ? new RetryableException("slow down", null, Duration.ofMillis(300)) : null;
    long t0 = System.nanoTime();
    t.consume(Context.EMPTY, spans(2, "z")).get(10, TimeUnit.SECONDS);
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(600).toNanos());
    assertThat(traces.calls).hasValue(3);
    traces.calls.set(0);
    th.consume(Context.EMPTY, spans(2, "w")).get(15, TimeUnit.SECONDS);
    assertThat(traces.calls).hasValue(3);
  }

  /**
   * Spans with every kind of value OTLP/JSON treats specially: ids, 64-bit integers, bytes, arrays,
   * maps.
   */
  static Traces everyKindOfValue() {
    TracesData.Builder b = TestData.tracesData(4, 3, 7).toBuilder();
    var ss = b.getResourceSpansBuilder(0).getScopeSpansBuilder(0);
    ss.addSpans(
        Span.newBuilder()
            .setTraceId(
                ByteString.copyFrom(
                    new byte[] {(byte) 0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}))
            .setSpanId(ByteString.copyFrom(new byte[] {(byte) 0x80, 1, 2, 3, 4, 5, 6, 7}))
            .setParentSpanId(ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}))
            .setTraceState("vendor=a:b,other=c")
            .setFlags(0x101)
            .setName("every \"kind\" \u00e9\u4e2d\n\ttab")
            .setKind(Span.SpanKind.SPAN_KIND_PRODUCER)
            .setStartTimeUnixNano(Long.MAX_VALUE - 1)
            .setEndTimeUnixNano(Long.MAX_VALUE)
            .setDroppedAttributesCount(3)
            .setDroppedEventsCount(4)
            .setDroppedLinksCount(5)
            .addAttributes(kv("int.max", AnyValue.newBuilder().setIntValue(Long.MAX_VALUE)))
            .addAttributes(kv("int.min", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE)))
            .addAttributes(kv("double", AnyValue.newBuilder().setDoubleValue(-0.1)))
            .addAttributes(kv("bool", AnyValue.newBuilder().setBoolValue(true)))
            .addAttributes(
                kv(
                    "bytes",
                    AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFrom(new byte[] {0, -1, 42}))))
            .addAttributes(
                kv(
                    "array",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("a"))
                                .addValues(AnyValue.newBuilder().setIntValue(2)))))
            .addAttributes(
                kv(
                    "map",
                    AnyValue.newBuilder()
                        .setKvlistValue(
                            KeyValueList.newBuilder()
                                .addValues(
                                    kv("nested", AnyValue.newBuilder().setDoubleValue(1e300))))))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("e")
                    .setTimeUnixNano(1)
                    .addAttributes(kv("k", AnyValue.newBuilder().setStringValue("v"))))
            .addLinks(
                Span.Link.newBuilder()
                    .setTraceId(ByteString.copyFrom(new byte[16]))
                    .setSpanId(ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1}))
                    .setTraceState("x=y")
                    .setFlags(1))
            .setStatus(
                io.opentelemetry.proto.trace.v1.Status.newBuilder()
                    .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage("boom")));
    return Traces.ofBytes(b.build().toByteArray());
  }

  private static KeyValue kv(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  @Test
  void httpJsonRoundTripsEverySignalExactlyThroughOurReceiver() throws Exception {
    int h = freePort();
    receiver(freePort(), h);
    Exporter<Traces> t = http(Signal.TRACES, h, WAIT, Encoding.JSON);
    Exporter<Metrics> m = http(Signal.METRICS, h, WAIT, Encoding.JSON);
    Exporter<Logs> l = http(Signal.LOGS, h, WAIT, Encoding.JSON);
    Traces sentTraces = everyKindOfValue();
    Metrics sentMetrics = TestData.metrics(6, 4, 3);
    Logs sentLogs = TestData.logs(25, 5);
    t.consume(Context.EMPTY, sentTraces).get(10, TimeUnit.SECONDS);
    m.consume(Context.EMPTY, sentMetrics).get(10, TimeUnit.SECONDS);
    l.consume(Context.EMPTY, sentLogs).get(10, TimeUnit.SECONDS);
    // in vs out: one request each, the same messages (ids, attributes, 64-bit values, bytes) field
    // for field
    assertThat(traces.data).hasSize(1);
    assertThat(traces.data.get(0).message()).isEqualTo(sentTraces.message());
    assertThat(traces.items()).isEqualTo(sentTraces.itemCount()).isEqualTo(13);
    assertThat(traces.contexts.get(0).first("x-tenant")).contains("acme");
    assertThat(metrics.data).hasSize(1);
    assertThat(metrics.data.get(0).message()).isEqualTo(sentMetrics.message());
    assertThat(metrics.items()).isEqualTo(24);
    assertThat(logs.data).hasSize(1);
    assertThat(logs.data.get(0).message()).isEqualTo(sentLogs.message());
    assertThat(logs.items()).isEqualTo(25);
  }

  @Test
  void httpJsonReadsTheReceiversJsonErrorStatus() throws Exception {
    int h = freePort();
    receiver(freePort(), h);
    traces.answer = n -> new PermanentException("bad \"data\"");
    Exporter<Traces> t = http(Signal.TRACES, h, WAIT, Encoding.JSON);
    assertThatThrownBy(() -> t.consume(Context.EMPTY, spans(1, "j")).get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage("HTTP 500 from http://127.0.0.1:" + h + "/v1/traces: bad \"data\"");
    assertThat(traces.calls).hasValue(1);
  }

  /** What a plain HTTP server saw: the request's headers and its (gunzipped) body. */
  private record Seen(String contentType, String contentEncoding, byte[] body) {}

  @Test
  void httpJsonSendsOtlpJsonWithItsContentTypeAndReadsAJsonPartialSuccess() throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        ex -> {
          byte[] raw = ex.getRequestBody().readAllBytes();
          String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
          byte[] body =
              "gzip".equals(enc)
                  ? new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes()
                  : raw;
          seen.add(new Seen(ex.getRequestHeaders().getFirst("Content-Type"), enc, body));
          byte[] answer =
              "{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"two spans too old\"}}"
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, answer.length);
          ex.getResponseBody().write(answer);
          ex.close();
        });
    server.start();
    closers.add(() -> server.stop(0));
    var cfg =
        new OtlpHttpExporterConfig(
            "http://127.0.0.1:" + server.getAddress().getPort(),
            null,
            null,
            null,
            null,
            Map.of(),
            Compression.GZIP,
            Encoding.JSON,
            Duration.ofSeconds(5),
            FAST,
            WAIT);
    Settings st =
        Settings.forTest(Kind.EXPORTER, new ComponentId("otlp_http", "json"), Signal.TRACES);
    Exporter<Traces> e = new OtlpExporterFactory.Http().createTraces(st, cfg);
    e.start(host());
    closers.add(() -> e.shutdown(Deadline.in(Duration.ofSeconds(5))));
    Traces sent = everyKindOfValue();
    e.consume(Context.EMPTY, sent).get(10, TimeUnit.SECONDS);

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).contentType()).isEqualTo("application/json");
    assertThat(seen.get(0).contentEncoding()).isEqualTo("gzip");
    assertThat(seen.get(0).body()).isEqualTo(OtlpJson.encode(sent));
    assertThat(OtlpJson.decodeTraces(seen.get(0).body())).isEqualTo(sent.message());
    assertThat(new String(seen.get(0).body(), StandardCharsets.UTF_8))
        .contains(
            "\"traceId\":\"ff000102030405060708090a0b0c0d0e\"",
            "\"intValue\":\"9223372036854775807\"");
    double rejected =
        st.metrics()
            .counter("otelcol_exporter_partial_success_rejected_spans", "", "exporter")
            .labelValues("otlp_http/json")
            .get();
    assertThat(rejected).isEqualTo(2.0);
  }
}
