package io.tiercel.kafka.common.encoding;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
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
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import org.junit.jupiter.api.Test;

class RecordEncodingTest {
  private static final Resource RESOURCE =
      Resource.newBuilder()
          .addAttributes(
              KeyValue.newBuilder()
                  .setKey("service.name")
                  .setValue(AnyValue.newBuilder().setStringValue("checkout")))
          .build();

  static Traces traces(int n) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(
          Span.newBuilder()
              .setTraceId(
                  ByteString.copyFrom(
                      new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) i}))
              .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i}))
              .setName("GET /" + i)
              .setStartTimeUnixNano(1_767_225_600_000_000_000L + i));
    }
    return Traces.of(
        TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(RESOURCE).addScopeSpans(ss))
            .build());
  }

  static Metrics metrics(int n) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < n; i++) {
      g.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(i).setTimeUnixNano(i));
    }
    return Metrics.of(
        MetricsData.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(RESOURCE)
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(Metric.newBuilder().setName("m").setGauge(g))))
            .build());
  }

  static Logs logs(int n) {
    ScopeLogs.Builder sl = ScopeLogs.newBuilder();
    for (int i = 0; i < n; i++) {
      sl.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(i)
              .setBody(AnyValue.newBuilder().setStringValue("line " + i)));
    }
    return Logs.of(
        LogsData.newBuilder()
            .addResourceLogs(ResourceLogs.newBuilder().setResource(RESOURCE).addScopeLogs(sl))
            .build());
  }

  @Test
  void protoIsTheRequestBytesBothWays() {
    Traces t = traces(5);
    byte[] v = RecordEncoding.OTLP_PROTO.marshal(t);
    assertThat(v).isSameAs(t.bytes());
    OtlpData back = RecordEncoding.OTLP_PROTO.unmarshal(Signal.TRACES, v);
    assertThat(back).isInstanceOf(Traces.class).isEqualTo(t);
  }

  @Test
  void jsonRoundTripsEverySignal() {
    OtlpData[] all = {traces(4), metrics(5), logs(7)};
    for (OtlpData d : all) {
      byte[] json = RecordEncoding.OTLP_JSON.marshal(d);
      assertThat(new String(json, UTF_8)).startsWith("{\"resource");
      assertThat(RecordEncoding.OTLP_JSON.unmarshal(d.signal(), json)).isEqualTo(d);
    }
    assertThat(
            RecordEncoding.OTLP_JSON.unmarshal(
                Signal.METRICS, RecordEncoding.OTLP_JSON.marshal(metrics(1))))
        .isInstanceOf(Metrics.class);
    assertThat(
            RecordEncoding.OTLP_JSON.unmarshal(
                Signal.LOGS, RecordEncoding.OTLP_JSON.marshal(logs(1))))
        .isInstanceOf(Logs.class);
  }

  @Test
  void malformedJsonIsPermanent() {
    assertThatThrownBy(
            () ->
                RecordEncoding.OTLP_JSON.unmarshal(
                    Signal.TRACES, "{\"resourceSpans\":[".getBytes(UTF_8)))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("malformed OTLP JSON traces: ");
  }

  @Test
  void zipkinEncodingsCarryTracesOnlyAndThriftIsReadOnly() {
    assertThat(RecordEncoding.ZIPKIN_JSON.reads(Signal.TRACES)).isTrue();
    assertThat(RecordEncoding.ZIPKIN_JSON.reads(Signal.LOGS)).isFalse();
    assertThat(RecordEncoding.ZIPKIN_PROTO.writes(Signal.TRACES)).isTrue();
    assertThat(RecordEncoding.ZIPKIN_THRIFT.reads(Signal.TRACES)).isTrue();
    assertThat(RecordEncoding.ZIPKIN_THRIFT.writes(Signal.TRACES)).isFalse();
    assertThatThrownBy(() -> RecordEncoding.ZIPKIN_PROTO.marshal(metrics(1)))
        .isInstanceOf(PermanentException.class)
        .hasMessage("zipkin_proto cannot write metrics");
    assertThatThrownBy(
            () -> RecordEncoding.ZIPKIN_JSON.unmarshal(Signal.LOGS, new byte[] {'[', ']'}))
        .isInstanceOf(PermanentException.class)
        .hasMessage("zipkin_json holds no logs");
  }

  @Test
  void zipkinRoundTripKeepsEverySpanAndAPoisonValueIsPermanent() {
    for (RecordEncoding e :
        new RecordEncoding[] {RecordEncoding.ZIPKIN_PROTO, RecordEncoding.ZIPKIN_JSON}) {
      OtlpData back = e.unmarshal(Signal.TRACES, e.marshal(traces(3)));
      assertThat(back.itemCount()).as(e.id()).isEqualTo(3);
      // Zipkin keeps microseconds and lower-case names: ids survive, nanosecond digits do not
      assertThat(((Traces) back).message().getResourceSpans(0).getScopeSpans(0).getSpansList())
          .as(e.id())
          .extracting(s -> s.getTraceId(), s -> s.getSpanId(), s -> s.getName())
          .isEqualTo(
              traces(3).message().getResourceSpans(0).getScopeSpans(0).getSpansList().stream()
                  .map(
                      s ->
                          org.assertj.core.groups.Tuple.tuple(
                              s.getTraceId(),
                              s.getSpanId(),
                              s.getName().toLowerCase(java.util.Locale.ROOT)))
                  .toList());
      assertThat(
              ((Traces) back)
                  .message()
                  .getResourceSpans(0)
                  .getScopeSpans(0)
                  .getSpans(2)
                  .getStartTimeUnixNano())
          .isEqualTo(1_767_225_600_000_000_000L);
      assertThatThrownBy(() -> e.unmarshal(Signal.TRACES, "{poison".getBytes(UTF_8)))
          .isInstanceOf(PermanentException.class)
          .hasMessageStartingWith("malformed " + e.id() + " traces: ");
    }
  }
}
