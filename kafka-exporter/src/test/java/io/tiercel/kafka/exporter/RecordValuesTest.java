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
}
