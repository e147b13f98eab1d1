package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordValuesTest {
  static Map<String, Integer> spansByTrace(TracesData d) {
    Map<String, Integer> m = new HashMap<>();
    d.getResourceSpansList()
        .forEach(
            rs ->
                rs.getScopeSpansList()
                    .forEach(
                        ss ->
                            ss.getSpansList()
                                .forEach(
                                    s ->
                                        m.merge(
                                            java.util.HexFormat.of()
                                                .formatHex(s.getTraceId().toByteArray()),
                                            1,
                                            Integer::sum))));
    return m;
  }

  @Test
  void jsonPartsStayBelowTheLimitAndKeepEverySpanAndKey() {
    TracesData d = Gen.traces(3, 2, 2, 300, 40, 0);
    int max = 8_000;
    WireSplitter.Result r =
        RecordValues.split(
            RecordEncoding.OTLP_JSON,
            Signal.TRACES,
            Traces.of(d),
            WireSplitter.KeyBy.TRACE_ID,
            max);
    assertThat(r.oversizedItems()).isZero();
    Map<String, Integer> spansByKey = new HashMap<>();
    for (WireSplitter.Part p : r.parts()) {
      assertThat(p.value().length).isLessThanOrEqualTo(max);
      TracesData part = OtlpJson.decodeTraces(p.value());
      String key = new String(p.key(), java.nio.charset.StandardCharsets.US_ASCII);
      spansByTrace(part)
          .forEach(
              (k, n) -> {
                assertThat(k).isEqualTo(key);
                spansByKey.merge(k, n, Integer::sum);
              });
    }
    assertThat(spansByKey).isEqualTo(spansByTrace(d));
    assertThat(r.parts().size())
        .isGreaterThan(40); // 40 traces of ~30 spans: more than 8 kB each as JSON
  }

  @Test
  void jsonOfASmallRequestIsOneRecord() {
    Traces t = Traces.of(Gen.traces(1, 1, 1, 6, 3, 0));
    WireSplitter.Result r =
        RecordValues.split(
            RecordEncoding.OTLP_JSON, Signal.TRACES, t, WireSplitter.KeyBy.NONE, 1_000_000);
    assertThat(r.parts()).hasSize(1);
    assertThat(r.parts().get(0).value()).isEqualTo(OtlpJson.encode(t));
  }

  @Test
  void spanWhoseJsonAloneIsTooLargeIsCounted() {
    TracesData big = Gen.traces(1, 1, 1, 1, 1, 3000);
    TracesData d =
        Gen.traces(2, 1, 1, 4, 2, 0).toBuilder()
            .addAllResourceSpans(big.getResourceSpansList())
            .build();
    WireSplitter.Result r =
        RecordValues.split(
            RecordEncoding.OTLP_JSON, Signal.TRACES, Traces.of(d), WireSplitter.KeyBy.NONE, 2500);
    assertThat(r.oversizedItems()).isEqualTo(1);
    int spans = 0;
    for (WireSplitter.Part p : r.parts()) {
      assertThat(p.value().length).isLessThanOrEqualTo(2500);
      spans +=
          spansByTrace(OtlpJson.decodeTraces(p.value())).values().stream().mapToInt(i -> i).sum();
    }
    assertThat(spans).isEqualTo(4);
  }

  @Test
  void zipkinPartsStayBelowTheLimitDecodeWithZipkinsLibraryAndComeBackAsTheRequest() {
    TracesData d = Gen.traces(3, 2, 2, 300, 40, 0);
    int spans =
        d.getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .mapToInt(ss -> ss.getSpansCount())
            .sum();
    for (RecordEncoding e :
        new RecordEncoding[] {RecordEncoding.ZIPKIN_JSON, RecordEncoding.ZIPKIN_PROTO}) {
      zipkin2.codec.SpanBytesDecoder decoder =
          e == RecordEncoding.ZIPKIN_JSON
              ? zipkin2.codec.SpanBytesDecoder.JSON_V2
              : zipkin2.codec.SpanBytesDecoder.PROTO3;
      int max = 8_000;
      WireSplitter.Result r =
          RecordValues.split(e, Signal.TRACES, Traces.of(d), WireSplitter.KeyBy.TRACE_ID, max);
      assertThat(r.oversizedItems()).as(e.id()).isZero();
      int decoded = 0;
      java.util.List<byte[]> values = new java.util.ArrayList<>();
      for (WireSplitter.Part p : r.parts()) {
        assertThat(p.value().length).as(e.id()).isLessThanOrEqualTo(max);
        String key = new String(p.key(), java.nio.charset.StandardCharsets.US_ASCII);
        java.util.List<zipkin2.Span> zs = decoder.decodeList(p.value());
        assertThat(zs).as(e.id()).allSatisfy(z -> assertThat(z.traceId()).isEqualTo(key));
        decoded += zs.size();
        values.add(p.value());
      }
      assertThat(decoded).as(e.id()).isEqualTo(spans);
      assertThat(RecordValues.request(e, Signal.TRACES, values).itemCount())
          .as(e.id())
          .isEqualTo(spans);
    }
  }

  @org.junit.jupiter.api.Test
  void rawWritesOneValuePerLogRecordBodyAndAnOversizedBodyAlone() {
    io.opentelemetry.proto.logs.v1.ScopeLogs.Builder scope =
        io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder();
    for (String body : new String[] {"first line", "", "x".repeat(200), "last"}) {
      scope.addLogRecords(
          io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
              .setBody(
                  body.isEmpty()
                      ? io.opentelemetry.proto.common.v1.AnyValue.getDefaultInstance()
                      : io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                          .setStringValue(body)
                          .build()));
    }
    io.tiercel.core.pdata.Logs logs =
        io.tiercel.core.pdata.Logs.of(
            io.opentelemetry.proto.logs.v1.LogsData.newBuilder()
                .addResourceLogs(
                    io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder().addScopeLogs(scope))
                .build());
    WireSplitter.Result r =
        RecordValues.split(RecordEncoding.RAW, Signal.LOGS, logs, WireSplitter.KeyBy.NONE, 100);
    assertThat(r.parts())
        .extracting(p -> new String(p.value(), java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly("first line", "last");
    assertThat(r.oversizedItems()).isEqualTo(1);
    assertThat(r.largestOversizedItem()).isEqualTo(200);
    // the failed part of a raw request is its values as bytes bodies, written back the same
    io.tiercel.core.pdata.OtlpData back =
        RecordValues.request(
            RecordEncoding.RAW,
            Signal.LOGS,
            r.parts().stream().map(WireSplitter.Part::value).toList());
    assertThat(back.itemCount()).isEqualTo(2);
    assertThat(RecordEncoding.RAW.marshalRecords(back))
        .containsExactly(r.parts().get(0).value(), r.parts().get(1).value());
  }
}
