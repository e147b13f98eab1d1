package io.tiercel.core.builtin.generator;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic, realistic OTLP data: HTTP-service-like traces, request metrics and access logs spread
 * over a few services. Deterministic: two generators built with the same config produce the same
 * sequence of messages (ids, names, attributes, values) when asked for the same sizes; only
 * timestamps come from the caller.
 *
 * <p>Not thread-safe: use one instance per producing thread (the receiver uses one per signal).
 */
public final class TelemetryGenerator {
  private static final String[] SERVICE_NAMES = {
    "frontend", "checkout", "cart", "payment", "inventory", "shipping", "auth", "search"
  };
  private static final String[] LANGUAGES = {"java", "go", "python", "nodejs"};
  private static final String[] ROUTES = {
    "/api/cart",
    "/api/checkout",
    "/api/products",
    "/api/products/{id}",
    "/api/users/{id}",
    "/api/orders",
    "/api/search",
    "/health"
  };
  private static final String[] METHODS = {
    "GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"
  };
  private static final String[] DB_OPERATIONS = {"SELECT", "SELECT", "SELECT", "INSERT", "UPDATE"};
  private static final String[] ERRORS = {
    "connection reset by peer",
    "deadline exceeded",
    "upstream returned 503",
    "null pointer dereference"
  };
  private static final double[] DURATION_BOUNDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5
  };
  private static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName("io.tiercel.generator").setVersion("0.1.0").build();

  private final GeneratorReceiverConfig config;
  private final SplittableRandom random;
  private final Resource[] resources;
  private final Map<String, long[]> counters = new HashMap<>();
  private long metricsStartNanos;
  private int metricCursor;

  /**
   * @param config the shape of the data
   * @param salt mixed into the config's seed, so that each signal gets its own independent sequence
   */
  public TelemetryGenerator(GeneratorReceiverConfig config, long salt) {
    this.config = config;
    this.random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + salt);
    this.resources = new Resource[config.services()];
    for (int i = 0; i < resources.length; i++) {
      String name = serviceName(i);
      resources[i] =
          Resource.newBuilder()
              .addAttributes(str("service.name", name))
              .addAttributes(str("service.version", "1." + i + ".0"))
              .addAttributes(str("service.instance.id", name + "-" + i))
              .addAttributes(str("host.name", "host-" + (i % 3)))
              .addAttributes(str("telemetry.sdk.language", LANGUAGES[i % LANGUAGES.length]))
              .addAttributes(str("deployment.environment.name", "demo"))
              .build();
    }
  }

  static String serviceName(int i) {
    return i < SERVICE_NAMES.length ? SERVICE_NAMES[i] : "service-" + i;
  }

  // ------------------------------------------------------------ traces

  /**
   * {@code spans} spans in whole traces (the last trace may be cut short), ending around {@code
   * nowNanos}.
   */
  public TracesData traces(int spans, long nowNanos) {
    GeneratorReceiverConfig.Traces shape = config.traces();
    Map<Integer, List<Span>> byService = new LinkedHashMap<>();
    int left = spans;
    while (left > 0) {
      int n = Math.min(left, shape.spansPerTrace());
      trace(n, nowNanos, shape, byService);
      left -= n;
    }
    TracesData.Builder b = TracesData.newBuilder();
    byService.forEach(
        (service, list) ->
            b.addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(resources[service])
                    .addScopeSpans(ScopeSpans.newBuilder().setScope(SCOPE).addAllSpans(list))));
    return b.build();
  }

  private void trace(
      int n, long now, GeneratorReceiverConfig.Traces shape, Map<Integer, List<Span>> out) {
    ByteString traceId = id(16);
    long min = shape.minDuration().toNanos();
    long max = shape.maxDuration().toNanos();
    long rootDuration = min + (max > min ? random.nextLong(max - min + 1) : 0);
    long[] start = new long[n];
    long[] end = new long[n];
    int[] level = new int[n];
    int[] service = new int[n];
    ByteString[] spanIds = new ByteString[n];
    List<Integer> parents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      spanIds[i] = id(8);
      Span.Builder s = Span.newBuilder().setTraceId(traceId).setSpanId(spanIds[i]).setFlags(0x101);
      Span.SpanKind kind;
      if (i == 0) {
        end[0] = now - random.nextLong(1_000_000);
        start[0] = end[0] - rootDuration;
        service[0] = random.nextInt(resources.length);
        kind = Span.SpanKind.SPAN_KIND_SERVER;
      } else {
        int p = parents.isEmpty() ? 0 : parents.get(random.nextInt(parents.size()));
        s.setParentSpanId(spanIds[p]);
        level[i] = level[p] + 1;
        long pDuration = end[p] - start[p];
        start[i] = start[p] + (pDuration > 1 ? random.nextLong(pDuration / 2 + 1) : 0);
        long room = end[p] - start[i];
        end[i] = start[i] + Math.max(1000, (long) (room * (0.1 + 0.8 * random.nextDouble())));
        end[i] = Math.min(end[i], Math.max(end[p], start[i] + 1000));
        boolean remote = resources.length > 1 && random.nextBoolean();
        if (remote) {
          int other = random.nextInt(resources.length - 1);
          service[i] = other >= service[p] ? other + 1 : other;
          kind = Span.SpanKind.SPAN_KIND_SERVER;
        } else {
          service[i] = service[p];
          kind =
              random.nextInt(3) == 0
                  ? Span.SpanKind.SPAN_KIND_CLIENT
                  : Span.SpanKind.SPAN_KIND_INTERNAL;
        }
      }
      if (level[i] < shape.depth() - 1) {
        parents.add(i);
      }
      boolean error = random.nextDouble() < shape.errorRatio();
      s.setKind(kind).setStartTimeUnixNano(start[i]).setEndTimeUnixNano(end[i]);
      String method = METHODS[random.nextInt(METHODS.length)];
      String route = ROUTES[random.nextInt(ROUTES.length)];
      switch (kind) {
        case SPAN_KIND_SERVER -> {
          int code =
              error ? (random.nextBoolean() ? 500 : 503) : (method.equals("POST") ? 201 : 200);
          s.setName(method + " " + route)
              .addAttributes(str("http.request.method", method))
              .addAttributes(str("url.path", path(route)))
              .addAttributes(str("http.route", route))
              .addAttributes(str("url.scheme", "http"))
              .addAttributes(integer("http.response.status_code", code))
              .addAttributes(str("server.address", serviceName(service[i]) + ".svc.cluster.local"))
              .addAttributes(integer("server.port", 8080));
        }
        case SPAN_KIND_CLIENT -> {
          String target = serviceName(random.nextInt(resources.length));
          int code = error ? 503 : 200;
          s.setName(method)
              .addAttributes(str("http.request.method", method))
              .addAttributes(
                  str("url.full", "http://" + target + ".svc.cluster.local:8080" + path(route)))
              .addAttributes(integer("http.response.status_code", code))
              .addAttributes(str("server.address", target + ".svc.cluster.local"));
        }
        default -> {
          String op = DB_OPERATIONS[random.nextInt(DB_OPERATIONS.length)];
          s.setName(op + " orders")
              .addAttributes(str("db.system.name", "postgresql"))
              .addAttributes(str("db.operation.name", op))
              .addAttributes(str("db.collection.name", "orders"));
        }
      }
      for (int a = 0; a < shape.attributesPerSpan(); a++) {
        s.addAttributes(str("attr." + a, "value-" + random.nextInt(1000)));
      }
      if (error) {
        String message = ERRORS[random.nextInt(ERRORS.length)];
        s.setStatus(
                Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage(message))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("exception")
                    .setTimeUnixNano(end[i])
                    .addAttributes(str("exception.type", "java.io.IOException"))
                    .addAttributes(str("exception.message", message)));
      }
      out.computeIfAbsent(service[i], k -> new ArrayList<>()).add(s.build());
    }
  }

  // ------------------------------------------------------------ metrics

  /**
   * {@code points} data points cycling over services and over a request counter (cumulative,
   * monotonic), a request duration histogram (delta) and a CPU utilization gauge.
   */
  public MetricsData metrics(int points, long nowNanos) {
    if (metricsStartNanos == 0) {
      metricsStartNanos = nowNanos;
    }
    Map<Integer, Map<String, Metric.Builder>> byService = new LinkedHashMap<>();
    for (int i = 0; i < points; i++) {
      int cursor = metricCursor++;
      int service = cursor % resources.length;
      int kind = (cursor / resources.length) % 3;
      String method = METHODS[random.nextInt(METHODS.length)];
      String route = ROUTES[random.nextInt(ROUTES.length)];
      Map<String, Metric.Builder> metrics =
          byService.computeIfAbsent(service, k -> new LinkedHashMap<>());
      switch (kind) {
        case 0 -> {
          long[] count =
              counters.computeIfAbsent(service + " " + method + " " + route, k -> new long[1]);
          count[0] += 1 + random.nextInt(50);
          metrics
              .computeIfAbsent(
                  "http.server.request.count",
                  name ->
                      Metric.newBuilder()
                          .setName(name)
                          .setDescription("HTTP server requests")
                          .setUnit("{request}")
                          .setSum(
                              Sum.newBuilder()
                                  .setIsMonotonic(true)
                                  .setAggregationTemporality(
                                      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)))
              .getSumBuilder()
              .addDataPoints(
                  NumberDataPoint.newBuilder()
                      .addAttributes(str("http.request.method", method))
                      .addAttributes(str("http.route", route))
                      .setStartTimeUnixNano(metricsStartNanos)
                      .setTimeUnixNano(nowNanos)
                      .setAsInt(count[0]));
        }
        case 1 -> {
          HistogramDataPoint.Builder p =
              HistogramDataPoint.newBuilder()
                  .addAttributes(str("http.request.method", method))
                  .addAttributes(str("http.route", route))
                  .addAttributes(
                      integer("http.response.status_code", random.nextInt(20) == 0 ? 500 : 200))
                  .setStartTimeUnixNano(nowNanos - 10_000_000_000L)
                  .setTimeUnixNano(nowNanos);
          long[] buckets = new long[DURATION_BOUNDS.length + 1];
          int n = 1 + random.nextInt(40);
          double sum = 0;
          double min = Double.MAX_VALUE;
          double max = 0;
          for (int k = 0; k < n; k++) {
            double seconds = Math.exp(random.nextDouble() * 6 - 6.5); // ~1.5ms .. 0.6s, log-uniform
            sum += seconds;
            min = Math.min(min, seconds);
            max = Math.max(max, seconds);
            int bucket = 0;
            while (bucket < DURATION_BOUNDS.length && seconds > DURATION_BOUNDS[bucket]) {
              bucket++;
            }
            buckets[bucket]++;
          }
          p.setCount(n).setSum(sum).setMin(min).setMax(max);
          for (double bound : DURATION_BOUNDS) {
            p.addExplicitBounds(bound);
          }
          for (long c : buckets) {
            p.addBucketCounts(c);
          }
          metrics
              .computeIfAbsent(
                  "http.server.request.duration",
                  name ->
                      Metric.newBuilder()
                          .setName(name)
                          .setDescription("Duration of HTTP server requests")
                          .setUnit("s")
                          .setHistogram(
                              Histogram.newBuilder()
                                  .setAggregationTemporality(
                                      AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)))
              .getHistogramBuilder()
              .addDataPoints(p);
        }
        default ->
            metrics
                .computeIfAbsent(
                    "system.cpu.utilization",
                    name ->
                        Metric.newBuilder()
                            .setName(name)
                            .setDescription("CPU utilization")
                            .setUnit("1")
                            .setGauge(Gauge.newBuilder()))
                .getGaugeBuilder()
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .addAttributes(str("cpu.mode", random.nextBoolean() ? "user" : "system"))
                        .setTimeUnixNano(nowNanos)
                        .setAsDouble(Math.round(random.nextDouble() * 1000) / 1000.0));
      }
    }
    MetricsData.Builder b = MetricsData.newBuilder();
    byService.forEach(
        (service, metrics) -> {
          ScopeMetrics.Builder sm = ScopeMetrics.newBuilder().setScope(SCOPE);
          metrics.values().forEach(sm::addMetrics);
          b.addResourceMetrics(
              ResourceMetrics.newBuilder().setResource(resources[service]).addScopeMetrics(sm));
        });
    return b.build();
  }

  // ------------------------------------------------------------ logs

  /** {@code records} access-log-like records observed at {@code nowNanos}. */
  public LogsData logs(int records, long nowNanos) {
    GeneratorReceiverConfig.Logs shape = config.logs();
    Map<Integer, List<LogRecord>> byService = new LinkedHashMap<>();
    for (int i = 0; i < records; i++) {
      int service = random.nextInt(resources.length);
      String method = METHODS[random.nextInt(METHODS.length)];
      String route = ROUTES[random.nextInt(ROUTES.length)];
      String path = path(route);
      LogRecord.Builder r =
          LogRecord.newBuilder()
              .setTimeUnixNano(nowNanos - random.nextLong(5_000_000))
              .setObservedTimeUnixNano(nowNanos)
              .addAttributes(str("http.request.method", method))
              .addAttributes(str("url.path", path));
      if (random.nextDouble() < shape.errorRatio()) {
        r.setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
            .setSeverityText("ERROR")
            .setBody(
                AnyValue.newBuilder()
                    .setStringValue(
                        method + " " + path + " failed: " + ERRORS[random.nextInt(ERRORS.length)]))
            .addAttributes(integer("http.response.status_code", 500));
      } else {
        int roll = random.nextInt(10);
        SeverityNumber severity =
            roll == 0
                ? SeverityNumber.SEVERITY_NUMBER_DEBUG
                : roll == 1
                    ? SeverityNumber.SEVERITY_NUMBER_WARN
                    : SeverityNumber.SEVERITY_NUMBER_INFO;
        int code = severity == SeverityNumber.SEVERITY_NUMBER_WARN ? 404 : 200;
        r.setSeverityNumber(severity)
            .setSeverityText(severity.name().substring("SEVERITY_NUMBER_".length()))
            .setBody(
                AnyValue.newBuilder()
                    .setStringValue(
                        method
                            + " "
                            + path
                            + " "
                            + code
                            + " in "
                            + (1 + random.nextInt(400))
                            + " ms"))
            .addAttributes(integer("http.response.status_code", code));
      }
      if (shape.traceContext()) {
        r.setTraceId(id(16)).setSpanId(id(8)).setFlags(1);
      }
      byService.computeIfAbsent(service, k -> new ArrayList<>()).add(r.build());
    }
    LogsData.Builder b = LogsData.newBuilder();
    byService.forEach(
        (service, list) ->
            b.addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(resources[service])
                    .addScopeLogs(ScopeLogs.newBuilder().setScope(SCOPE).addAllLogRecords(list))));
    return b.build();
  }

  // ------------------------------------------------------------ helpers

  private String path(String route) {
    return route.replace("{id}", Integer.toString(1 + random.nextInt(9999)));
  }

  private ByteString id(int size) {
    byte[] b = new byte[size];
    do {
      for (int i = 0; i < size; i += 8) {
        long v = random.nextLong();
        for (int k = 0; k < 8 && i + k < size; k++) {
          b[i + k] = (byte) (v >>> (8 * k));
        }
      }
    } while (allZero(b)); // an all-zero id is invalid
    return ByteString.copyFrom(b);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
