package io.tiercel.processors.ottl;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test data written independently of the engine: a realistic batch per signal, with optional
 * overrides of the first item's fields, and a renderer from OTLP back to plain Java values for
 * assertions.
 */
public final class Fixtures {
  private Fixtures() {}

  public static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  public static final String SPAN_ID = "eee19b7ec3c1b174";

  static KeyValue kv(String k, Object v) {
    return KeyValue.newBuilder().setKey(k).setValue(any(v)).build();
  }

  /** Plain Java (YAML) value to OTLP, independent of the engine's converter. */
  @SuppressWarnings("unchecked")
  public static AnyValue any(Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Integer x) {
      b.setIntValue(x);
    } else if (v instanceof Long x) {
      b.setIntValue(x);
    } else if (v instanceof Double x) {
      b.setDoubleValue(x);
    } else if (v instanceof byte[] x) {
      b.setBytesValue(ByteString.copyFrom(x));
    } else if (v instanceof Map<?, ?> m) {
      KeyValueList.Builder l = KeyValueList.newBuilder();
      ((Map<String, Object>) m).forEach((k, x) -> l.addValues(kv(k, x)));
      b.setKvlistValue(l);
    } else if (v instanceof List<?> l) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      l.forEach(x -> a.addValues(any(x)));
      b.setArrayValue(a);
    }
    return b.build();
  }

  static List<KeyValue> attrs(Map<String, ?> m) {
    List<KeyValue> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(kv(k, v)));
    return out;
  }

  /**
   * OTLP value to plain Java: ints as Long, doubles as Double, bytes as hex strings prefixed 0x.
   */
  public static Object plain(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BYTES_VALUE:
        {
          StringBuilder sb = new StringBuilder("0x");
          for (byte x : v.getBytesValue().toByteArray()) {
            sb.append(String.format("%02x", x));
          }
          return sb.toString();
        }
      case ARRAY_VALUE:
        {
          List<Object> l = new ArrayList<>();
          v.getArrayValue().getValuesList().forEach(x -> l.add(plain(x)));
          return l;
        }
      case KVLIST_VALUE:
        return plain(v.getKvlistValue().getValuesList());
      default:
        return null;
    }
  }

  public static Map<String, Object> plain(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    kvs.forEach(kv -> m.put(kv.getKey(), plain(kv.getValue())));
    return m;
  }

  static ByteString hex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return ByteString.copyFrom(b);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  static <T> T or(Map<String, Object> in, String key, T def) {
    return in != null && in.containsKey(key) ? (T) in.get(key) : def;
  }

  static Resource resource(Map<String, Object> in) {
    return Resource.newBuilder()
        .addAllAttributes(
            attrs(
                or(
                    in,
                    "resource.attributes",
                    map("service.name", "checkout", "host.name", "localhost", "env", "prod"))))
        .build();
  }

  static InstrumentationScope scope(Map<String, Object> in) {
    return InstrumentationScope.newBuilder()
        .setName(or(in, "scope.name", "io.opentelemetry.http"))
        .setVersion("1.2.0")
        .addAllAttributes(attrs(map("lib", "otel")))
        .build();
  }

  /** Two spans: an HTTP server span with two events and a failing DB client span. */
  public static TracesData traces(Map<String, Object> in) {
    Span s0 =
        Span.newBuilder()
            .setName(or(in, "span.name", "GET /users/123"))
            .setKind(Span.SpanKind.valueOf("SPAN_KIND_" + or(in, "span.kind", "SERVER")))
            .setTraceId(hex(TRACE_ID))
            .setSpanId(hex(SPAN_ID))
            .setTraceState("k1=v1,k2=v2")
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(1_500_000_000L)
            .addAllAttributes(
                attrs(
                    or(
                        in,
                        "span.attributes",
                        map(
                            "http.method",
                            "GET",
                            "http.status_code",
                            200,
                            "http.url",
                            "http://example.com/users/123?password=secret",
                            "ratio",
                            0.5,
                            "ok",
                            true,
                            "tags",
                            List.of("a", "b"),
                            "nested",
                            map("k", "v", "n", map("x", 1))))))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("exception")
                    .setTimeUnixNano(1_200_000_000L)
                    .addAllAttributes(
                        attrs(or(in, "spanevent.attributes", map("exception.message", "boom")))))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("retry")
                    .setTimeUnixNano(1_300_000_000L)
                    .addAllAttributes(attrs(map("attempt", 1))))
            .build();
    Span s1 =
        Span.newBuilder()
            .setName("SELECT users")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setTraceId(hex(TRACE_ID))
            .setSpanId(hex("00f067aa0ba902b7"))
            .setParentSpanId(hex(SPAN_ID))
            .setStartTimeUnixNano(2_000_000_000L)
            .setEndTimeUnixNano(4_000_000_000L)
            .setStatus(
                Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage("db down"))
            .addAllAttributes(attrs(map("db.system", "postgresql")))
            .build();
    return TracesData.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource(in))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
                .addScopeSpans(
                    ScopeSpans.newBuilder().setScope(scope(in)).addSpans(s0).addSpans(s1)))
        .build();
  }

  /** A histogram (2 points), a double gauge (2 points) and a monotonic int sum (1 point). */
  @SuppressWarnings("unchecked")
  public static MetricsData metrics(Map<String, Object> in) {
    if (in != null && in.get("metrics") instanceof List<?> given) {
      ScopeMetrics.Builder sm = ScopeMetrics.newBuilder().setScope(scope(in));
      given.forEach(m -> sm.addMetrics(MetricYaml.parse((Map<String, Object>) m)));
      return MetricsData.newBuilder()
          .addResourceMetrics(
              ResourceMetrics.newBuilder().setResource(resource(in)).addScopeMetrics(sm))
          .build();
    }
    Metric hist =
        Metric.newBuilder()
            .setName(or(in, "metric.name", "http.server.duration"))
            .setUnit("ms")
            .setDescription("latency")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setCount(3)
                            .setSum(30.0)
                            .addAllBucketCounts(List.of(1L, 2L))
                            .addExplicitBounds(10.0)
                            .setTimeUnixNano(5_000_000_000L)
                            .addAllAttributes(
                                attrs(or(in, "datapoint.attributes", map("http.route", "/users")))))
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setCount(1)
                            .setSum(5.0)
                            .addAllAttributes(attrs(map("http.route", "/health")))))
            .build();
    Metric gauge =
        Metric.newBuilder()
            .setName("system.cpu.usage")
            .setUnit("1")
            .setGauge(
                Gauge.newBuilder()
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setAsDouble(0.5)
                            .addAllAttributes(attrs(map("cpu", "0", "state", "idle"))))
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setAsDouble(0.25)
                            .addAllAttributes(attrs(map("cpu", "1", "state", "user", "core", 1)))))
            .build();
    Metric sum =
        Metric.newBuilder()
            .setName("requests")
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setAsInt(42)
                            .setStartTimeUnixNano(1_000_000_000L)
                            .setTimeUnixNano(6_000_000_000L)
                            .addAllAttributes(attrs(map("http.method", "GET")))))
            .build();
    return MetricsData.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource(in))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(scope(in))
                        .addMetrics(hist)
                        .addMetrics(gauge)
                        .addMetrics(sum)))
        .build();
  }

  /** Three records: an ERROR string body, an INFO map body, a DEBUG JSON-string body. */
  public static LogsData logs(Map<String, Object> in) {
    LogRecord l0 =
        LogRecord.newBuilder()
            .setBody(any(or(in, "log.body", "user login failed password=hunter2")))
            .setSeverityNumberValue(17)
            .setSeverityText("ERROR")
            .setTimeUnixNano(3_000_000_000L)
            .setTraceId(hex(TRACE_ID))
            .setSpanId(hex(SPAN_ID))
            .addAllAttributes(
                attrs(or(in, "log.attributes", map("log.file.name", "app.log", "user.id", 7))))
            .build();
    LogRecord l1 =
        LogRecord.newBuilder()
            .setBody(any(map("msg", "ok", "level", "info")))
            .setSeverityNumberValue(9)
            .setSeverityText("INFO")
            .build();
    LogRecord l2 =
        LogRecord.newBuilder()
            .setBody(any("{\"a\":1,\"b\":\"x\"}"))
            .setSeverityNumberValue(5)
            .setSeverityText("DEBUG")
            .build();
    return LogsData.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(resource(in))
                .addScopeLogs(
                    ScopeLogs.newBuilder()
                        .setScope(scope(in))
                        .addLogRecords(l0)
                        .addLogRecords(l1)
                        .addLogRecords(l2)))
        .build();
  }
}
