package io.tiercel.kafka.exporter;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Random;

/** Deterministic OTLP test data of realistic shape (HTTP-service spans). */
final class Gen {
  private Gen() {}

  static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  static Resource resource(int i) {
    return Resource.newBuilder()
        .addAttributes(attr("service.name", "svc-" + i))
        .addAttributes(attr("host.name", "host-" + (i % 3)))
        .addAttributes(attr("k8s.pod.name", "pod-" + i))
        .build();
  }

  static byte[] traceId(Random r, int traceNo) {
    byte[] id = new byte[16];
    new Random(traceNo * 7919L + 17).nextBytes(id);
    return id;
  }

  static Span span(Random r, byte[] traceId, int n, int attrBytes) {
    byte[] sid = new byte[8];
    r.nextBytes(sid);
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(sid))
            .setName("GET /api/v1/items/" + n)
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(1_700_000_000_000_000_000L + n)
            .setEndTimeUnixNano(1_700_000_000_000_900_000L + n)
            .addAttributes(attr("http.method", "GET"))
            .addAttributes(attr("http.route", "/api/v1/items/{id}"))
            .addAttributes(attr("http.status_code", "200"));
    if (attrBytes > 0) {
      b.addAttributes(attr("payload", "x".repeat(attrBytes)));
    }
    return b.build();
  }

  /** Spans spread over resources and scopes, {@code traces} distinct trace ids interleaved. */
  static TracesData traces(
      long seed, int resources, int scopes, int spansPerScope, int traces, int attrBytes) {
    Random r = new Random(seed);
    TracesData.Builder d = TracesData.newBuilder();
    int n = 0;
    for (int i = 0; i < resources; i++) {
      ResourceSpans.Builder rs =
          ResourceSpans.newBuilder().setResource(resource(i)).setSchemaUrl("https://s/" + i);
      for (int j = 0; j < scopes; j++) {
        ScopeSpans.Builder ss =
            ScopeSpans.newBuilder()
                .setScope(
                    InstrumentationScope.newBuilder().setName("lib-" + j).setVersion("1." + j));
        for (int k = 0; k < spansPerScope; k++) {
          ss.addSpans(span(r, traceId(r, r.nextInt(traces)), n++, attrBytes));
        }
        rs.addScopeSpans(ss);
      }
      d.addResourceSpans(rs);
    }
    return d.build();
  }

  static LogsData logs(long seed, int resources, int records, int traces) {
    Random r = new Random(seed);
    LogsData.Builder d = LogsData.newBuilder();
    for (int i = 0; i < resources; i++) {
      ScopeLogs.Builder sl =
          ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("log"));
      for (int k = 0; k < records; k++) {
        LogRecord.Builder lr =
            LogRecord.newBuilder()
                .setTimeUnixNano(k)
                .setBody(AnyValue.newBuilder().setStringValue("line " + k));
        int t = r.nextInt(traces + 1);
        if (t < traces) { // some records have no trace id
          lr.setTraceId(ByteString.copyFrom(traceId(r, t)));
        }
        sl.addLogRecords(lr);
      }
      d.addResourceLogs(ResourceLogs.newBuilder().setResource(resource(i % 4)).addScopeLogs(sl));
    }
    return d.build();
  }

  static MetricsData metrics(int resources, int metrics, int points) {
    MetricsData.Builder d = MetricsData.newBuilder();
    for (int i = 0; i < resources; i++) {
      ScopeMetrics.Builder sm =
          ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("m"));
      for (int m = 0; m < metrics; m++) {
        Gauge.Builder g = Gauge.newBuilder();
        for (int p = 0; p < points; p++) {
          g.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(p).setTimeUnixNano(p));
        }
        sm.addMetrics(Metric.newBuilder().setName("metric." + m).setGauge(g));
      }
      d.addResourceMetrics(
          ResourceMetrics.newBuilder().setResource(resource(i)).addScopeMetrics(sm));
    }
    return d.build();
  }
}
