package io.tiercel.core.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OtlpDataTest {
  static TracesData traces(int resources, int scopes, int spans) {
    TracesData.Builder b = TracesData.newBuilder();
    for (int r = 0; r < resources; r++) {
      ResourceSpans.Builder rs =
          b.addResourceSpansBuilder()
              .setResource(Resource.newBuilder().addAttributes(kv("service.name", "svc-" + r)))
              .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0");
      for (int s = 0; s < scopes; s++) {
        ScopeSpans.Builder ss =
            rs.addScopeSpansBuilder()
                .setScope(
                    InstrumentationScope.newBuilder().setName("scope-" + s).setVersion("1.0"));
        for (int i = 0; i < spans; i++) {
          ss.addSpans(
              Span.newBuilder()
                  .setTraceId(ByteString.copyFrom(new byte[16]))
                  .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i}))
                  .setName("GET /api/" + i)
                  .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                  .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
                  .setEndTimeUnixNano(1_700_000_000_000_500_000L + i)
                  .addAttributes(kv("http.request.method", "GET"))
                  .addEvents(Span.Event.newBuilder().setName("ev").setTimeUnixNano(5)));
        }
      }
    }
    return b.build();
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  @Test
  void serializedOnlyKeepsTheBytesAndTheCountAndDropsTheMessage() {
    TracesData m = traces(2, 2, 3);
    Traces parsed = Traces.of(m);
    Traces s = parsed.serializedOnly();
    assertThat(s.hasMessage()).isFalse();
    assertThat(s.hasBytes()).isTrue();
    assertThat(s.itemCount()).isEqualTo(12);
    assertThat(s.bytes()).isEqualTo(m.toByteArray());
    assertThat(s.message()).isEqualTo(m);
    Traces bytesOnly = Traces.ofBytes(m.toByteArray());
    assertThat(bytesOnly.<Traces>serializedOnly()).isSameAs(bytesOnly);
  }

  @Test
  void countsSpansOnTheWireWithoutParsing() {
    TracesData msg = traces(3, 2, 7);
    Traces t = Traces.ofBytes(msg.toByteArray());
    assertThat(t.itemCount()).isEqualTo(42);
    assertThat(t.hasMessage()).isFalse();
    assertThat(Traces.of(msg).itemCount()).isEqualTo(42);
  }

  @Test
  void parsesAndSerializesLazilyAndCaches() {
    TracesData msg = traces(1, 1, 3);
    Traces fromMsg = Traces.of(msg);
    assertThat(fromMsg.hasBytes()).isFalse();
    byte[] b = fromMsg.bytes();
    assertThat(fromMsg.hasBytes()).isTrue();
    assertThat(fromMsg.bytes()).isSameAs(b);
    assertThat(fromMsg.serializedSize()).isEqualTo(msg.getSerializedSize());

    Traces fromBytes = Traces.ofBytes(b);
    assertThat(fromBytes.message()).isEqualTo(msg);
    assertThat(fromBytes.message()).isSameAs(fromBytes.message());
    assertThat(fromBytes).isEqualTo(fromMsg);
    assertThat(fromBytes.signal()).isEqualTo(Signal.TRACES);
  }

  @Test
  void countsLogRecords() {
    LogsData.Builder b = LogsData.newBuilder();
    for (int r = 0; r < 2; r++) {
      ScopeLogs.Builder sl = b.addResourceLogsBuilder().addScopeLogsBuilder();
      for (int i = 0; i < 5; i++) {
        sl.addLogRecords(
            LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("line " + i)));
      }
      b.getResourceLogsBuilder(r)
          .addScopeLogsBuilder()
          .addLogRecords(LogRecord.getDefaultInstance());
    }
    LogsData msg = b.build();
    assertThat(Logs.ofBytes(msg.toByteArray()).itemCount()).isEqualTo(12);
    assertThat(Logs.of(msg).itemCount()).isEqualTo(12);
  }

  @Test
  void countsDataPointsOfEveryMetricType() {
    NumberDataPoint p = NumberDataPoint.newBuilder().setAsDouble(1.5).setTimeUnixNano(7).build();
    ScopeMetrics sm =
        ScopeMetrics.newBuilder()
            .addMetrics(
                Metric.newBuilder()
                    .setName("g")
                    .setGauge(Gauge.newBuilder().addDataPoints(p).addDataPoints(p)))
            .addMetrics(
                Metric.newBuilder()
                    .setName("s")
                    .setSum(Sum.newBuilder().addDataPoints(p).setIsMonotonic(true)))
            .addMetrics(
                Metric.newBuilder()
                    .setName("h")
                    .setUnit("ms")
                    .setDescription("d")
                    .setHistogram(
                        Histogram.newBuilder()
                            .addDataPoints(
                                HistogramDataPoint.newBuilder()
                                    .setCount(3)
                                    .addBucketCounts(1)
                                    .addBucketCounts(2)
                                    .addExplicitBounds(10))))
            .addMetrics(
                Metric.newBuilder()
                    .setName("e")
                    .setExponentialHistogram(
                        ExponentialHistogram.newBuilder()
                            .addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance())
                            .addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance())
                            .addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance())))
            .addMetrics(
                Metric.newBuilder()
                    .setName("su")
                    .setSummary(
                        Summary.newBuilder()
                            .addDataPoints(SummaryDataPoint.newBuilder().setCount(1))))
            .addMetrics(Metric.newBuilder().setName("empty"))
            .build();
    MetricsData msg =
        MetricsData.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder().addScopeMetrics(sm).addScopeMetrics(sm))
            .build();
    assertThat(Metrics.of(msg).itemCount()).isEqualTo(16);
    assertThat(Metrics.ofBytes(msg.toByteArray()).itemCount()).isEqualTo(16);
  }

  @Test
  void emptyIsEmpty() {
    assertThat(Traces.EMPTY.isEmpty()).isTrue();
    assertThat(Traces.ofBytes(new byte[0]).itemCount()).isZero();
    assertThat(Metrics.EMPTY.itemCount()).isZero();
    assertThat(Logs.EMPTY.itemCount()).isZero();
  }

  @Test
  void malformedBytesAreMalformedDataErrors() {
    byte[] good = traces(1, 1, 2).toByteArray();
    byte[] truncated = Arrays.copyOf(good, good.length - 5);
    assertThatThrownBy(() -> Traces.ofBytes(truncated).itemCount())
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("malformed OTLP traces protobuf: ");
    assertThatThrownBy(() -> Traces.ofBytes(truncated).message())
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("malformed OTLP traces protobuf: ");
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> Logs.ofBytes(garbage).itemCount())
        .isInstanceOf(MalformedDataException.class);
    // field 1 (resource_spans) with wire type varint: not a message
    assertThatThrownBy(() -> Traces.ofBytes(new byte[] {0x08, 0x01}).itemCount())
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("field 1 has wire type 0, expected a message");
  }

  @Test
  void concatenatedRequestsAreOneRequestHoldingBoth() {
    // DESIGN.md section 3: batch can join serialized requests.
    byte[] a = traces(1, 1, 3).toByteArray();
    byte[] b = traces(2, 1, 4).toByteArray();
    byte[] joined = new byte[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    Traces t = Traces.ofBytes(joined);
    assertThat(t.itemCount()).isEqualTo(11);
    assertThat(t.message().getResourceSpansCount()).isEqualTo(3);
  }

  @Test
  void unknownFieldsAreSkipped() {
    TracesData msg = traces(1, 1, 1);
    byte[] extra = {
      (byte) 0x98, 0x06, 0x05, /* field 99 fixed64 */ (byte) 0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8
    };
    byte[] b = new byte[msg.getSerializedSize() + extra.length];
    System.arraycopy(msg.toByteArray(), 0, b, 0, msg.getSerializedSize());
    System.arraycopy(extra, 0, b, msg.getSerializedSize(), extra.length);
    assertThat(Traces.ofBytes(b).itemCount()).isEqualTo(1);
  }
}
