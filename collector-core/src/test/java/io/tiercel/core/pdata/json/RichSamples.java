package io.tiercel.core.pdata.json;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
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
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;

/**
 * Messages that set every field the OTLP/JSON codec handles, with edge values (unsigned, negative,
 * NaN).
 */
public final class RichSamples {
  private RichSamples() {}

  static final ByteString TRACE_ID = hex("5b8efff798038103d269b633813fc60c");
  static final ByteString SPAN_ID = hex("eee19b7ec3c1b174");
  static final ByteString PARENT_ID = hex("eee19b7ec3c1b173");

  static ByteString hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return ByteString.copyFrom(b);
  }

  static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  /** Every AnyValue kind, nested. */
  static java.util.List<KeyValue> allValueKinds() {
    return java.util.List.of(
        kv("s", str("h\u00e9llo \"w\"\n\t\\ \u2603 \ud83d\ude00")),
        kv("empty", str("")),
        kv("b", AnyValue.newBuilder().setBoolValue(true).build()),
        kv("bf", AnyValue.newBuilder().setBoolValue(false).build()),
        kv("i", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()),
        kv("i0", AnyValue.newBuilder().setIntValue(0).build()),
        kv("d", AnyValue.newBuilder().setDoubleValue(-1.5e-300).build()),
        kv("dint", AnyValue.newBuilder().setDoubleValue(3.0).build()),
        kv("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()),
        kv("inf", AnyValue.newBuilder().setDoubleValue(Double.NEGATIVE_INFINITY).build()),
        kv(
            "bytes",
            AnyValue.newBuilder()
                .setBytesValue(ByteString.copyFrom(new byte[] {0, -1, 62, 63, 1}))
                .build()),
        kv(
            "arr",
            AnyValue.newBuilder()
                .setArrayValue(
                    ArrayValue.newBuilder()
                        .addValues(str("x"))
                        .addValues(AnyValue.newBuilder().setIntValue(7))
                        .addValues(
                            AnyValue.newBuilder().setArrayValue(ArrayValue.getDefaultInstance())))
                .build()),
        kv(
            "kv",
            AnyValue.newBuilder()
                .setKvlistValue(
                    KeyValueList.newBuilder()
                        .addValues(
                            kv(
                                "inner",
                                AnyValue.newBuilder()
                                    .setKvlistValue(
                                        KeyValueList.newBuilder().addValues(kv("deep", str("y"))))
                                    .build())))
                .build()),
        kv("unset", AnyValue.getDefaultInstance()),
        KeyValue.newBuilder().setKey("novalue").build(),
        KeyValue.newBuilder()
            .setKeyStrindex(3)
            .setValue(AnyValue.newBuilder().setStringValueStrindex(4))
            .build());
  }

  static Resource resource() {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", str("checkout")))
        .addAllAttributes(allValueKinds())
        .setDroppedAttributesCount(2)
        .addEntityRefs(
            EntityRef.newBuilder()
                .setSchemaUrl("https://s")
                .setType("service")
                .addIdKeys("service.name")
                .addDescriptionKeys("service.version"))
        .build();
  }

  static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder()
        .setName("lib")
        .setVersion("1.2.3")
        .addAttributes(kv("scope.attr", str("v")))
        .setDroppedAttributesCount(1)
        .build();
  }

  public static TracesData traces() {
    Span span =
        Span.newBuilder()
            .setTraceId(TRACE_ID)
            .setSpanId(SPAN_ID)
            .setParentSpanId(PARENT_ID)
            .setTraceState("k=v")
            .setFlags(0x301)
            .setName("GET /api")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(1544712660000000000L)
            .setEndTimeUnixNano(-1L) // max unsigned
            .addAllAttributes(allValueKinds())
            .setDroppedAttributesCount(5)
            .addEvents(
                Span.Event.newBuilder()
                    .setTimeUnixNano(1544712660500000000L)
                    .setName("exception")
                    .addAttributes(kv("exception.type", str("IOException")))
                    .setDroppedAttributesCount(1))
            .addEvents(Span.Event.newBuilder().setName("bare"))
            .setDroppedEventsCount(3)
            .addLinks(
                Span.Link.newBuilder()
                    .setTraceId(hex("0102030405060708090a0b0c0d0e0f10"))
                    .setSpanId(hex("1112131415161718"))
                    .setTraceState("a=b")
                    .addAttributes(kv("l", str("1")))
                    .setDroppedAttributesCount(4)
                    .setFlags(0xffffffff))
            .setDroppedLinksCount(6)
            .setStatus(
                Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
            .build();
    Span minimal =
        Span.newBuilder()
            .setTraceId(TRACE_ID)
            .setSpanId(hex("0000000000000001"))
            .setStatus(Status.getDefaultInstance())
            .setKindValue(42) // unknown enum value survives
            .build();
    return TracesData.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource())
                .setSchemaUrl("https://r")
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(scope())
                        .setSchemaUrl("https://sc")
                        .addSpans(span)
                        .addSpans(minimal))
                .addScopeSpans(ScopeSpans.newBuilder()))
        .addResourceSpans(ResourceSpans.newBuilder())
        .build();
  }

  public static MetricsData metrics() {
    NumberDataPoint dbl =
        NumberDataPoint.newBuilder()
            .addAttributes(kv("host", str("a")))
            .setStartTimeUnixNano(1)
            .setTimeUnixNano(2)
            .setAsDouble(0.25)
            .setFlags(1)
            .addExemplars(
                Exemplar.newBuilder()
                    .addFilteredAttributes(kv("f", str("g")))
                    .setTimeUnixNano(3)
                    .setAsDouble(1.5)
                    .setSpanId(SPAN_ID)
                    .setTraceId(TRACE_ID))
            .addExemplars(Exemplar.newBuilder().setAsInt(-9))
            .build();
    NumberDataPoint integer =
        NumberDataPoint.newBuilder().setTimeUnixNano(2).setAsInt(Long.MAX_VALUE).build();
    NumberDataPoint zeroDouble =
        NumberDataPoint.newBuilder().setAsDouble(0).build(); // oneof set to default
    Metric gauge =
        Metric.newBuilder()
            .setName("g")
            .setDescription("a gauge")
            .setUnit("1")
            .setGauge(Gauge.newBuilder().addDataPoints(dbl).addDataPoints(zeroDouble))
            .addMetadata(kv("m", str("n")))
            .build();
    Metric sum =
        Metric.newBuilder()
            .setName("s")
            .setUnit("By")
            .setSum(
                Sum.newBuilder()
                    .addDataPoints(integer)
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .setIsMonotonic(true))
            .build();
    Metric histogram =
        Metric.newBuilder()
            .setName("h")
            .setUnit("ms")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .addAttributes(kv("route", str("/x")))
                            .setStartTimeUnixNano(10)
                            .setTimeUnixNano(20)
                            .setCount(6)
                            .setSum(0) // optional sum set to 0
                            .addBucketCounts(1)
                            .addBucketCounts(2)
                            .addBucketCounts(-1L)
                            .addExplicitBounds(0.5)
                            .addExplicitBounds(10)
                            .setMin(-0.0)
                            .setMax(9.75)
                            .setFlags(1)
                            .addExemplars(Exemplar.newBuilder().setAsDouble(2)))
                    .addDataPoints(HistogramDataPoint.newBuilder().setCount(0))) // no sum, min, max
            .build();
    Metric exp =
        Metric.newBuilder()
            .setName("e")
            .setExponentialHistogram(
                ExponentialHistogram.newBuilder()
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(
                        ExponentialHistogramDataPoint.newBuilder()
                            .addAttributes(kv("k", str("v")))
                            .setStartTimeUnixNano(1)
                            .setTimeUnixNano(2)
                            .setCount(10)
                            .setSum(12.5)
                            .setScale(-3)
                            .setZeroCount(2)
                            .setZeroThreshold(1e-9)
                            .setPositive(
                                ExponentialHistogramDataPoint.Buckets.newBuilder()
                                    .setOffset(-2)
                                    .addBucketCounts(3)
                                    .addBucketCounts(4))
                            .setNegative(
                                ExponentialHistogramDataPoint.Buckets.newBuilder()
                                    .setOffset(1)
                                    .addBucketCounts(1))
                            .setFlags(1)
                            .setMin(0.1)
                            .setMax(100)
                            .addExemplars(Exemplar.newBuilder().setAsInt(5).setTraceId(TRACE_ID))))
            .build();
    Metric summary =
        Metric.newBuilder()
            .setName("sm")
            .setSummary(
                Summary.newBuilder()
                    .addDataPoints(
                        SummaryDataPoint.newBuilder()
                            .addAttributes(kv("q", str("r")))
                            .setStartTimeUnixNano(1)
                            .setTimeUnixNano(2)
                            .setCount(100)
                            .setSum(1234.5)
                            .setFlags(1)
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder()
                                    .setQuantile(0)
                                    .setValue(1))
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder()
                                    .setQuantile(0.99)
                                    .setValue(42.5))))
            .build();
    Metric empty = Metric.newBuilder().setName("nodata").build();
    return MetricsData.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(resource())
                .setSchemaUrl("https://r")
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(scope())
                        .setSchemaUrl("https://sc")
                        .addMetrics(gauge)
                        .addMetrics(sum)
                        .addMetrics(histogram)
                        .addMetrics(exp)
                        .addMetrics(summary)
                        .addMetrics(empty)))
        .build();
  }

  public static LogsData logs() {
    LogsData.Builder b = LogsData.newBuilder();
    ScopeLogs.Builder sl = ScopeLogs.newBuilder().setScope(scope()).setSchemaUrl("https://sc");
    for (KeyValue body : allValueKinds()) {
      sl.addLogRecords(
          LogRecord.newBuilder()
              .setTimeUnixNano(1544712660300000000L)
              .setObservedTimeUnixNano(1544712660300000001L)
              .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN2)
              .setSeverityText("WARN")
              .setBody(body.getValue())
              .addAttributes(kv("body.kind", str(body.getKey())))
              .setDroppedAttributesCount(1)
              .setFlags(1)
              .setTraceId(TRACE_ID)
              .setSpanId(SPAN_ID)
              .setEventName("app.event"));
    }
    sl.addLogRecords(LogRecord.newBuilder()); // all defaults, no body
    b.addResourceLogs(
        ResourceLogs.newBuilder()
            .setResource(resource())
            .setSchemaUrl("https://r")
            .addScopeLogs(sl));
    return b.build();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
