package io.tiercel.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Traces;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic OTLP test data: the spans, metrics and logs an instrumented HTTP service
 * emits (resource and scope attributes, HTTP and database semantic conventions, errors with
 * exception events). The same arguments give equal messages; every trace (and every log record) has
 * its own trace id.
 *
 * <p>Traces and logs are spread over up to three services ({@code checkout}, {@code cart}, {@code
 * payment}), one {@code Resource*} each; all spans of a trace belong to one service.
 */
public final class TestData {
  /** Timestamps start here (2026-01-01T00:00:00Z) and grow with the item index. */
  public static final long BASE_TIME_NANOS = 1_767_225_600_000_000_000L;

  private static final String[] SERVICES = {"checkout", "cart", "payment"};
  private static final String[] ROUTES = {
    "/api/cart/{id}", "/api/checkout", "/api/payment/{id}", "/health"
  };
  private static final String[] METHODS = {"GET", "POST", "GET", "GET"};
  private static final String[] TABLES = {"cart_items", "orders", "payments", "customers"};

  private TestData() {}

  /**
   * {@code traces} traces of {@code spansPerTrace} spans each: a SERVER root span, then CLIENT
   * database and HTTP calls and INTERNAL spans, children of the root. About one trace in ten fails
   * (status 500, an exception event on the root).
   *
   * @param traces how many traces (distinct trace ids), at least 0
   * @param spansPerTrace spans per trace, at least 1
   * @param seed picks ids, durations and attribute values
   */
  public static Traces traces(int traces, int spansPerTrace, long seed) {
    return Traces.of(tracesData(traces, spansPerTrace, seed));
  }

  /** The message behind {@link #traces(int, int, long)}. */
  public static TracesData tracesData(int traces, int spansPerTrace, long seed) {
    requireNonNegative("traces", traces);
    if (spansPerTrace < 1) {
      throw new IllegalArgumentException("spansPerTrace must be at least 1: " + spansPerTrace);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    int services = Math.min(traces, SERVICES.length);
    List<ScopeSpans.Builder> scopes = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      scopes.add(
          ScopeSpans.newBuilder()
              .setScope(scope("io.opentelemetry.servlet-5.0", "2.10.0"))
              .setSchemaUrl("https://opentelemetry.io/schemas/1.27.0"));
    }
    for (int t = 0; t < traces; t++) {
      ScopeSpans.Builder scope = scopes.get(t % services);
      String service = SERVICES[t % services];
      ByteString traceId = traceId(rnd, t);
      long start = BASE_TIME_NANOS + t * 1_000_000L;
      long rootDuration = 5_000_000L + rnd.nextLong(200_000_000L);
      int r = rnd.nextInt(ROUTES.length);
      boolean error = rnd.nextInt(10) == 0;
      ByteString rootId = spanId(rnd, 0);
      Span.Builder root =
          Span.newBuilder()
              .setTraceId(traceId)
              .setSpanId(rootId)
              .setName(METHODS[r] + " " + ROUTES[r])
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + rootDuration)
              .addAttributes(str("http.request.method", METHODS[r]))
              .addAttributes(str("http.route", ROUTES[r]))
              .addAttributes(
                  str(
                      "url.path",
                      ROUTES[r].replace("{id}", Integer.toString(rnd.nextInt(100_000)))))
              .addAttributes(str("url.scheme", "https"))
              .addAttributes(str("server.address", service + ".shop.example"))
              .addAttributes(integer("server.port", 8080))
              .addAttributes(str("network.protocol.version", "1.1"))
              .addAttributes(
                  str("client.address", "10.0." + rnd.nextInt(256) + "." + rnd.nextInt(256)))
              .addAttributes(
                  str("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0"))
              .addAttributes(integer("http.response.status_code", error ? 500 : 200));
      if (error) {
        root.setStatus(
            Status.newBuilder()
                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                .setMessage("java.lang.IllegalStateException: inventory service unavailable"));
        root.addEvents(
            Span.Event.newBuilder()
                .setName("exception")
                .setTimeUnixNano(start + rootDuration - 1000)
                .addAttributes(str("exception.type", "java.lang.IllegalStateException"))
                .addAttributes(str("exception.message", "inventory service unavailable"))
                .addAttributes(
                    str(
                        "exception.stacktrace",
                        "java.lang.IllegalStateException: inventory service unavailable\n"
                            + "\tat shop.Inventory.reserve(Inventory.java:88)\n"
                            + "\tat shop.CartController.add(CartController.java:41)")));
      }
      scope.addSpans(root);
      for (int s = 1; s < spansPerTrace; s++) {
        long childStart = start + rnd.nextLong(Math.max(1, rootDuration / 2));
        long childEnd =
            childStart + 1 + rnd.nextLong(Math.max(1, start + rootDuration - childStart - 1));
        Span.Builder child =
            Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(spanId(rnd, s))
                .setParentSpanId(rootId)
                .setStartTimeUnixNano(childStart)
                .setEndTimeUnixNano(childEnd);
        switch (s % 3) {
          case 1 -> {
            String table = TABLES[rnd.nextInt(TABLES.length)];
            child
                .setName("SELECT shop." + table)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(str("db.system.name", "postgresql"))
                .addAttributes(str("db.namespace", "shop"))
                .addAttributes(str("db.collection.name", table))
                .addAttributes(str("db.operation.name", "SELECT"))
                .addAttributes(str("db.query.text", "SELECT * FROM " + table + " WHERE id = ?"))
                .addAttributes(str("server.address", "db.shop.example"))
                .addAttributes(integer("server.port", 5432));
          }
          case 2 ->
              child
                  .setName("POST")
                  .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                  .addAttributes(str("http.request.method", "POST"))
                  .addAttributes(str("url.full", "http://inventory.shop.example:8080/api/reserve"))
                  .addAttributes(str("server.address", "inventory.shop.example"))
                  .addAttributes(integer("server.port", 8080))
                  .addAttributes(integer("http.response.status_code", 200));
          default ->
              child
                  .setName("CartService.price")
                  .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                  .addAttributes(str("code.function.name", "shop.CartService.price"))
                  .addAttributes(integer("cart.items", 1 + rnd.nextInt(20)));
        }
        scope.addSpans(child);
      }
    }
    TracesData.Builder b = TracesData.newBuilder();
    for (int s = 0; s < services; s++) {
      b.addResourceSpans(
          ResourceSpans.newBuilder()
              .setResource(resource(SERVICES[s], seed))
              .addScopeSpans(scopes.get(s))
              .setSchemaUrl("https://opentelemetry.io/schemas/1.27.0"));
    }
    return b.build();
  }

  /**
   * One resource ({@code checkout}) with {@code metrics} metrics of {@code pointsPerMetric} data
   * points each, cycling through a monotonic cumulative sum ({@code http.server.request.count}), a
   * gauge ({@code jvm.memory.used}) and an explicit-bucket histogram ({@code
   * http.server.request.duration}); the points of one metric differ by their {@code
   * http.route}/{@code jvm.memory.pool.name} attribute. {@code itemCount()} is {@code metrics *
   * pointsPerMetric}.
   */
  public static Metrics metrics(int metrics, int pointsPerMetric, long seed) {
    return Metrics.of(metricsData(metrics, pointsPerMetric, seed));
  }

  /** The message behind {@link #metrics(int, int, long)}. */
  public static MetricsData metricsData(int metrics, int pointsPerMetric, long seed) {
    requireNonNegative("metrics", metrics);
    requireNonNegative("pointsPerMetric", pointsPerMetric);
    SplittableRandom rnd = new SplittableRandom(seed);
    ScopeMetrics.Builder scope =
        ScopeMetrics.newBuilder()
            .setScope(scope("io.opentelemetry.runtime-telemetry-java17", "2.10.0"));
    long start = BASE_TIME_NANOS;
    long now = BASE_TIME_NANOS + 60_000_000_000L;
    for (int m = 0; m < metrics; m++) {
      Metric.Builder metric = Metric.newBuilder();
      switch (m % 3) {
        case 0 -> {
          Sum.Builder sum =
              Sum.newBuilder()
                  .setIsMonotonic(true)
                  .setAggregationTemporality(
                      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          for (int p = 0; p < pointsPerMetric; p++) {
            sum.addDataPoints(
                NumberDataPoint.newBuilder()
                    .setStartTimeUnixNano(start)
                    .setTimeUnixNano(now)
                    .addAttributes(str("http.route", route(p)))
                    .addAttributes(integer("http.response.status_code", 200))
                    .setAsInt(rnd.nextInt(1_000_000)));
          }
          metric
              .setName(suffix("http.server.request.count", m))
              .setUnit("{request}")
              .setDescription("Number of HTTP requests served")
              .setSum(sum);
        }
        case 1 -> {
          Gauge.Builder gauge = Gauge.newBuilder();
          for (int p = 0; p < pointsPerMetric; p++) {
            gauge.addDataPoints(
                NumberDataPoint.newBuilder()
                    .setTimeUnixNano(now)
                    .addAttributes(str("jvm.memory.pool.name", "pool-" + p))
                    .addAttributes(str("jvm.memory.type", p % 2 == 0 ? "heap" : "non_heap"))
                    .setAsDouble(1_000_000 + rnd.nextInt(500_000_000)));
          }
          metric
              .setName(suffix("jvm.memory.used", m))
              .setUnit("By")
              .setDescription("Used memory")
              .setGauge(gauge);
        }
        default -> {
          Histogram.Builder h =
              Histogram.newBuilder()
                  .setAggregationTemporality(
                      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
          for (int p = 0; p < pointsPerMetric; p++) {
            HistogramDataPoint.Builder dp =
                HistogramDataPoint.newBuilder()
                    .setStartTimeUnixNano(start)
                    .setTimeUnixNano(now)
                    .addAttributes(str("http.route", route(p)));
            long count = 0;
            double sum = 0;
            for (int i = 0; i <= bounds.length; i++) {
              long c = rnd.nextInt(100);
              dp.addBucketCounts(c);
              count += c;
              sum += c * (i < bounds.length ? bounds[i] / 2 : 7.5);
            }
            for (double bound : bounds) {
              dp.addExplicitBounds(bound);
            }
            h.addDataPoints(dp.setCount(count).setSum(sum).setMin(0.001).setMax(9.0));
          }
          metric
              .setName(suffix("http.server.request.duration", m))
              .setUnit("s")
              .setDescription("Duration of HTTP server requests")
              .setHistogram(h);
        }
      }
      scope.addMetrics(metric);
    }
    return MetricsData.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource(SERVICES[0], seed))
                .addScopeMetrics(scope))
        .build();
  }

  /**
   * {@code records} log records spread over up to three services, each with its own trace id (and a
   * span id), a severity between DEBUG and ERROR, a string body and a few attributes.
   */
  public static Logs logs(int records, long seed) {
    return Logs.of(logsData(records, seed));
  }

  /** The message behind {@link #logs(int, long)}. */
  public static LogsData logsData(int records, long seed) {
    requireNonNegative("records", records);
    SplittableRandom rnd = new SplittableRandom(seed);
    int services = Math.min(records, SERVICES.length);
    List<ScopeLogs.Builder> scopes = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      scopes.add(
          ScopeLogs.newBuilder()
              .setScope(scope("io.opentelemetry.logback-appender-1.0", "2.10.0")));
    }
    SeverityNumber[] severities = {
      SeverityNumber.SEVERITY_NUMBER_DEBUG,
      SeverityNumber.SEVERITY_NUMBER_INFO,
      SeverityNumber.SEVERITY_NUMBER_INFO,
      SeverityNumber.SEVERITY_NUMBER_INFO,
      SeverityNumber.SEVERITY_NUMBER_WARN,
      SeverityNumber.SEVERITY_NUMBER_ERROR
    };
    String[] texts = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
    for (int i = 0; i < records; i++) {
      int sev = rnd.nextInt(severities.length);
      long t = BASE_TIME_NANOS + i * 1_000_000L;
      int r = rnd.nextInt(ROUTES.length);
      scopes
          .get(i % services)
          .addLogRecords(
              LogRecord.newBuilder()
                  .setTimeUnixNano(t)
                  .setObservedTimeUnixNano(t + 150_000)
                  .setSeverityNumber(severities[sev])
                  .setSeverityText(texts[sev])
                  .setBody(
                      AnyValue.newBuilder()
                          .setStringValue(
                              sev == 5
                                  ? "request failed: inventory service unavailable (order "
                                      + rnd.nextInt(1_000_000)
                                      + ")"
                                  : "handled "
                                      + METHODS[r]
                                      + " "
                                      + ROUTES[r]
                                      + " in "
                                      + rnd.nextInt(300)
                                      + " ms"))
                  .addAttributes(
                      str("logger.name", "shop." + SERVICES[i % services] + ".RequestLogger"))
                  .addAttributes(str("thread.name", "http-nio-8080-exec-" + (1 + rnd.nextInt(10))))
                  .addAttributes(str("http.route", ROUTES[r]))
                  .setTraceId(traceId(rnd, i))
                  .setSpanId(spanId(rnd, 0))
                  .setFlags(1));
    }
    LogsData.Builder b = LogsData.newBuilder();
    for (int s = 0; s < services; s++) {
      b.addResourceLogs(
          ResourceLogs.newBuilder()
              .setResource(resource(SERVICES[s], seed))
              .addScopeLogs(scopes.get(s)));
    }
    return b.build();
  }

  /** The trace id as 32 lowercase hex characters (the Kafka record key of trace-keyed exports). */
  public static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  /** Trace id (hex) to span count, in order of first appearance. */
  public static Map<String, Integer> spansByTrace(TracesData data) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (ResourceSpans rs : data.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          m.merge(hex(s.getTraceId()), 1, Integer::sum);
        }
      }
    }
    return m;
  }

  // ---------------------------------------------------------------------------------------------------------

  /** 16 bytes: 12 random, then the index, so ids are distinct within one call whatever the seed. */
  private static ByteString traceId(SplittableRandom rnd, int index) {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putLong(rnd.nextLong());
    b.putInt(rnd.nextInt());
    b.putInt(index);
    return ByteString.copyFrom(b.array());
  }

  /** 8 bytes, never all zero (an invalid span id). */
  private static ByteString spanId(SplittableRandom rnd, int index) {
    ByteBuffer b = ByteBuffer.allocate(8);
    b.putInt(rnd.nextInt() | 0x01000000);
    b.putInt(index);
    return ByteString.copyFrom(b.array());
  }

  private static Resource resource(String service, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed ^ service.hashCode());
    return Resource.newBuilder()
        .addAttributes(str("service.name", service))
        .addAttributes(str("service.namespace", "shop"))
        .addAttributes(str("service.version", "1.4." + rnd.nextInt(10)))
        .addAttributes(
            str(
                "service.instance.id",
                new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString()))
        .addAttributes(str("host.name", service + "-" + Integer.toHexString(rnd.nextInt(0x100000))))
        .addAttributes(str("deployment.environment.name", "production"))
        .addAttributes(str("k8s.namespace.name", "shop"))
        .addAttributes(
            str(
                "k8s.pod.name",
                service + "-7d9f8b6c5-" + Integer.toString(rnd.nextInt(60_000), 36)))
        .addAttributes(str("telemetry.sdk.language", "java"))
        .addAttributes(str("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(str("telemetry.sdk.version", "1.44.1"))
        .build();
  }

  private static InstrumentationScope scope(String name, String version) {
    return InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
  }

  private static String route(int p) {
    return p < ROUTES.length ? ROUTES[p] : ROUTES[p % ROUTES.length] + "/" + p;
  }

  private static String suffix(String name, int m) {
    return m < 3 ? name : name + "." + (m / 3);
  }

  private static KeyValue str(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static KeyValue integer(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  private static void requireNonNegative(String name, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + v);
    }
  }
}
