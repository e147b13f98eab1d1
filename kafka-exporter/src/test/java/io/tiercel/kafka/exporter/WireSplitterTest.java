package io.tiercel.kafka.exporter;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Signal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireSplitterTest {
  @Test
  void traceGroupsFindEveryIdThroughGrowthAndCollisions() {
    TraceGroups t = new TraceGroups();
    java.util.Random rnd = new java.util.Random(7);
    Map<List<Long>, Integer> expected = new LinkedHashMap<>();
    for (int g = 0; g < 5_000; g++) {
      // random ids, and ids that differ in one half only (same slot inputs for one of the two
      // longs)
      long hi = g % 3 == 0 ? 42 : rnd.nextLong();
      long lo = g % 3 == 1 ? 42 : rnd.nextLong();
      if (expected.putIfAbsent(List.of(hi, lo), g) == null) {
        assertThat(t.get(hi, lo)).isEqualTo(-1);
        t.put(hi, lo, g);
      }
    }
    expected.forEach((id, g) -> assertThat(t.get(id.get(0), id.get(1))).isEqualTo(g));
    assertThat(t.get(1, 2)).isEqualTo(-1);
    assertThat(t.get(42, 43)).isEqualTo(-1);
  }

  /**
   * The parse-based reference: group spans by trace id keeping resource and scope, in request
   * order.
   */
  static Map<String, TracesData> referenceByTrace(TracesData d) {
    Map<String, TracesData.Builder> out = new LinkedHashMap<>();
    for (ResourceSpans rs : d.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          String key = HexFormat.of().formatHex(s.getTraceId().toByteArray());
          TracesData.Builder b = out.computeIfAbsent(key, k -> TracesData.newBuilder());
          int last = b.getResourceSpansCount() - 1;
          ResourceSpans.Builder rb;
          if (last >= 0
              && b.getResourceSpans(last).getResource().equals(rs.getResource())
              && b.getResourceSpans(last).getSchemaUrl().equals(rs.getSchemaUrl())
              && sameResource(b, rs)) {
            rb = b.getResourceSpansBuilder(last);
          } else {
            rb =
                b.addResourceSpansBuilder()
                    .setResource(rs.getResource())
                    .setSchemaUrl(rs.getSchemaUrl());
          }
          int lastScope = rb.getScopeSpansCount() - 1;
          if (lastScope >= 0 && rb.getScopeSpans(lastScope).getScope().equals(ss.getScope())) {
            rb.getScopeSpansBuilder(lastScope).addSpans(s);
          } else {
            rb.addScopeSpansBuilder()
                .setScope(ss.getScope())
                .setSchemaUrl(ss.getSchemaUrl())
                .addSpans(s);
          }
        }
      }
    }
    Map<String, TracesData> built = new LinkedHashMap<>();
    out.forEach((k, v) -> built.put(k, v.build()));
    return built;
  }

  // resources in Gen are distinct per index; this keeps the reference strict about which resource a
  // span had
  private static boolean sameResource(TracesData.Builder b, ResourceSpans rs) {
    return true;
  }

  private static Map<String, TracesData> parse(WireSplitter.Result r)
      throws InvalidProtocolBufferException {
    Map<String, TracesData> m = new LinkedHashMap<>();
    for (WireSplitter.Part p : r.parts()) {
      TracesData prev = m.put(new String(p.key(), US_ASCII), TracesData.parseFrom(p.value()));
      assertThat(prev).as("one part per trace").isNull();
    }
    return m;
  }

  @ParameterizedTest(name = "{0} resources x {1} scopes x {2} spans, {3} traces")
  @CsvSource({"1, 1, 1, 1", "1, 1, 50, 5", "3, 2, 40, 17", "5, 3, 100, 1000", "2, 1, 500, 1"})
  void splitByTraceMatchesTheParseBasedReference(int resources, int scopes, int spans, int traces)
      throws Exception {
    TracesData d = Gen.traces(42, resources, scopes, spans, traces, 0);
    WireSplitter.Result r =
        WireSplitter.split(
            Signal.TRACES, d.toByteArray(), WireSplitter.KeyBy.TRACE_ID, Integer.MAX_VALUE);
    Map<String, TracesData> expected = referenceByTrace(d);
    assertThat(r.oversizedItems()).isZero();
    assertThat(parse(r)).isEqualTo(expected);
    assertThat(new ArrayList<>(parse(r).keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
  }

  @Test
  void keysAreLowercaseHexTraceIds() {
    TracesData d = Gen.traces(1, 1, 1, 3, 1, 0);
    WireSplitter.Result r =
        WireSplitter.split(Signal.TRACES, d.toByteArray(), WireSplitter.KeyBy.TRACE_ID, 1 << 20);
    String expected =
        HexFormat.of()
            .formatHex(
                d.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray());
    assertThat(r.parts()).hasSize(1);
    assertThat(new String(r.parts().get(0).key(), US_ASCII))
        .isEqualTo(expected)
        .hasSize(32)
        .matches("[0-9a-f]+");
  }

  @Test
  void unkeyedRequestThatFitsIsPassedThroughUncopied() {
    byte[] bytes = Gen.traces(3, 2, 2, 10, 4, 0).toByteArray();
    WireSplitter.Result r =
        WireSplitter.split(Signal.TRACES, bytes, WireSplitter.KeyBy.NONE, bytes.length);
    assertThat(r.parts()).hasSize(1);
    assertThat(r.parts().get(0).value()).isSameAs(bytes);
    assertThat(r.parts().get(0).key()).isNull();
  }

  @ParameterizedTest(name = "max {0} bytes")
  @CsvSource({"600", "1000", "4096", "65536"})
  void sizeAwareSplitKeepsEverySpanAndEveryPartBelowTheLimit(int max) throws Exception {
    TracesData d = Gen.traces(7, 3, 2, 60, 3, 40);
    WireSplitter.Result r =
        WireSplitter.split(Signal.TRACES, d.toByteArray(), WireSplitter.KeyBy.NONE, max);
    assertThat(r.oversizedItems()).isZero();
    assertThat(r.parts().size()).isGreaterThanOrEqualTo(d.getSerializedSize() / max);
    List<Span> spans = new ArrayList<>();
    for (WireSplitter.Part p : r.parts()) {
      assertThat(p.value().length).isLessThanOrEqualTo(max);
      TracesData part = TracesData.parseFrom(p.value());
      part.getResourceSpansList()
          .forEach(
              rs -> {
                assertThat(rs.getResource().getAttributesCount()).isEqualTo(3);
                rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList()));
              });
    }
    List<Span> all = new ArrayList<>();
    d.getResourceSpansList()
        .forEach(rs -> rs.getScopeSpansList().forEach(ss -> all.addAll(ss.getSpansList())));
    assertThat(spans).isEqualTo(all);
  }

  @Test
  void largeTraceIsCutIntoPartsWithTheSameKey() throws Exception {
    TracesData d = Gen.traces(9, 2, 2, 200, 1, 200); // one trace of 800 spans, ~300 bytes each
    int max = 10_000;
    WireSplitter.Result r =
        WireSplitter.split(Signal.TRACES, d.toByteArray(), WireSplitter.KeyBy.TRACE_ID, max);
    assertThat(r.parts().size()).isGreaterThan(20);
    String key = new String(r.parts().get(0).key(), US_ASCII);
    int spans = 0;
    for (WireSplitter.Part p : r.parts()) {
      assertThat(new String(p.key(), US_ASCII)).isEqualTo(key);
      assertThat(p.value().length).isLessThanOrEqualTo(max);
      spans += io.tiercel.core.pdata.Traces.ofBytes(p.value()).itemCount();
    }
    assertThat(spans).isEqualTo(800);
    // greedy packing: every part but the last is too full to take one more span
    assertThat(r.parts().get(0).value().length).isGreaterThan(max - 400);
  }

  @Test
  void spanLargerThanTheLimitAloneIsCountedNotSent() throws Exception {
    TracesData small = Gen.traces(1, 1, 1, 5, 1, 0);
    TracesData big = Gen.traces(2, 1, 1, 1, 1, 5000);
    TracesData d = small.toBuilder().addAllResourceSpans(big.getResourceSpansList()).build();
    WireSplitter.Result r =
        WireSplitter.split(Signal.TRACES, d.toByteArray(), WireSplitter.KeyBy.NONE, 2000);
    assertThat(r.oversizedItems()).isEqualTo(1);
    assertThat(r.largestOversizedItem()).isGreaterThan(5000);
    assertThat(r.parts()).hasSize(1);
    assertThat(TracesData.parseFrom(r.parts().get(0).value())).isEqualTo(small);
    WireSplitter.Result kept =
        WireSplitter.split(Signal.TRACES, d.toByteArray(), WireSplitter.KeyBy.NONE, 2000, true);
    assertThat(kept.oversizedItems()).isEqualTo(1);
    assertThat(kept.parts()).hasSize(2);
    assertThat(TracesData.parseFrom(kept.parts().get(1).value())).isEqualTo(big);
  }

  @Test
  void logsByTraceIdUseField9AndGroupRecordsWithoutOne() throws Exception {
    LogsData d = Gen.logs(5, 3, 40, 6);
    WireSplitter.Result r =
        WireSplitter.split(Signal.LOGS, d.toByteArray(), WireSplitter.KeyBy.TRACE_ID, 1 << 20);
    Map<String, List<LogRecord>> expected = new LinkedHashMap<>();
    for (ResourceLogs rl : d.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord lr : sl.getLogRecordsList()) {
          String k =
              lr.getTraceId().isEmpty()
                  ? ""
                  : HexFormat.of().formatHex(lr.getTraceId().toByteArray());
          expected.computeIfAbsent(k, x -> new ArrayList<>()).add(lr);
        }
      }
    }
    Map<String, List<LogRecord>> got = new LinkedHashMap<>();
    for (WireSplitter.Part p : r.parts()) {
      String k = p.key() == null ? "" : new String(p.key(), US_ASCII);
      LogsData part = LogsData.parseFrom(p.value());
      part.getResourceLogsList()
          .forEach(
              rl ->
                  rl.getScopeLogsList()
                      .forEach(
                          sl ->
                              got.computeIfAbsent(k, x -> new ArrayList<>())
                                  .addAll(sl.getLogRecordsList())));
    }
    assertThat(got).containsOnlyKeys(expected.keySet()).containsKey("");
    expected.forEach((k, v) -> assertThat(got.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void byResourceGivesOneRecordPerResourceKeyedByItsAttributes() throws Exception {
    MetricsData d = Gen.metrics(4, 3, 5);
    WireSplitter.Result r =
        WireSplitter.split(Signal.METRICS, d.toByteArray(), WireSplitter.KeyBy.RESOURCE, 1 << 20);
    assertThat(r.parts()).hasSize(4);
    for (int i = 0; i < 4; i++) {
      WireSplitter.Part p = r.parts().get(i);
      ResourceMetrics rm = d.getResourceMetrics(i);
      assertThat(MetricsData.parseFrom(p.value()))
          .isEqualTo(MetricsData.newBuilder().addResourceMetrics(rm).build());
      assertThat(p.key()).hasSize(16).isEqualTo(WireSplitter.resourceHash(rm.getResource()));
    }
    // attribute order does not change the key; a different value does
    var res = d.getResourceMetrics(0).getResource();
    var reversed = res.toBuilder().clearAttributes();
    for (int i = res.getAttributesCount() - 1; i >= 0; i--) {
      reversed.addAttributes(res.getAttributes(i));
    }
    assertThat(WireSplitter.resourceHash(reversed.build()))
        .isEqualTo(WireSplitter.resourceHash(res));
    assertThat(WireSplitter.resourceHash(Gen.resource(1)))
        .isNotEqualTo(WireSplitter.resourceHash(res));
  }

  @Test
  void logsByResourceKeepSameAttributeResourcesApartWithEqualKeys() throws Exception {
    LogsData d = Gen.logs(5, 6, 3, 2); // resources 0..5 use resource(i % 4): 4 and 0 are equal
    WireSplitter.Result r =
        WireSplitter.split(Signal.LOGS, d.toByteArray(), WireSplitter.KeyBy.RESOURCE, 1 << 20);
    assertThat(r.parts()).hasSize(6);
    assertThat(r.parts().get(4).key()).isEqualTo(r.parts().get(0).key());
    assertThat(r.parts().get(1).key()).isNotEqualTo(r.parts().get(0).key());
  }

  @Test
  void firstResourceAttribute() {
    byte[] b = Gen.traces(1, 3, 1, 1, 1, 0).toByteArray();
    assertThat(WireSplitter.firstResourceAttribute(b, "service.name")).isEqualTo("svc-0");
    assertThat(WireSplitter.firstResourceAttribute(b, "nope")).isNull();
  }

  @Test
  void malformedBytesArePermanent() {
    byte[] b = Gen.traces(1, 1, 1, 3, 1, 0).toByteArray();
    byte[] cut = java.util.Arrays.copyOf(b, b.length - 5);
    assertThatThrownBy(
            () -> WireSplitter.split(Signal.TRACES, cut, WireSplitter.KeyBy.TRACE_ID, 1 << 20))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("malformed OTLP traces protobuf: ");
  }

  @Test
  void emptyRequestGivesNoParts() {
    WireSplitter.Result r =
        WireSplitter.split(Signal.TRACES, new byte[0], WireSplitter.KeyBy.TRACE_ID, 100);
    assertThat(r.parts()).isEmpty();
  }
}
