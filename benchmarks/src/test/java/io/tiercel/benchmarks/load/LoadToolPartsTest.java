package io.tiercel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The load tool's pieces that need no process: the wire walk, the stamping, the histogram, the
 * metrics parse.
 */
class LoadToolPartsTest {
  private final Workload data = new Workload(200, new Workload.Shape(4, 3, 2, 0.05), 7);

  @Test
  void wireWalkCountsEverySpanAndFindsItsTraceId() throws Exception {
    Workload.Template t = data.request(0);
    byte[] stamped = t.stamp(1_234_567L, 42);
    TracesData parsed = TracesData.parseFrom(stamped);
    List<Span> spans =
        parsed.getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .toList();
    assertThat(spans).hasSize(200);
    List<Long> stamps = new ArrayList<>();
    int n = SpanWire.forEachSpan(stamped, (b, off) -> stamps.add(SpanWire.readLong(b, off)));
    assertThat(n).isEqualTo(200);
    assertThat(stamps).containsOnly(1_234_567L);
    for (Span s : spans) {
      byte[] id = s.getTraceId().toByteArray();
      assertThat(SpanWire.readLong(id, 0)).isEqualTo(1_234_567L);
      assertThat(Arrays.copyOfRange(id, 8, 12)).containsExactly(0, 0, 0, 42);
    }
  }

  @Test
  void perTraceRecordsHoldEachTraceOnceAndEverySpan() throws Exception {
    List<Workload.Template> recs = data.records(0);
    int spans = 0;
    Set<String> keys = new HashSet<>();
    for (Workload.Template r : recs) {
      byte[] v = r.stamp(99, 1);
      TracesData td = TracesData.parseFrom(v);
      Set<Object> ids = new HashSet<>();
      for (ResourceSpans rs : td.getResourceSpansList()) {
        rs.getScopeSpansList()
            .forEach(ss -> ss.getSpansList().forEach(s -> ids.add(s.getTraceId())));
      }
      assertThat(ids).hasSize(1);
      assertThat(keys.add(r.traceIdHex(v))).isTrue();
      spans += r.spans();
    }
    assertThat(spans).isEqualTo(200);
    assertThat(recs).hasSize(50);
  }

  @Test
  void malformedBytesAreRejected() {
    assertThatThrownBy(() -> SpanWire.forEachSpan(new byte[] {0x0a, 0x10, 0x01}, (b, off) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("truncated message at 2");
  }

  @Test
  void histogramQuantilesAreWithinTwoPercent() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v = 1; v <= 100_000; v++) {
      h.record(v * 10, 1);
    }
    assertThat(h.count()).isEqualTo(100_000);
    assertThat(h.quantile(0.5))
        .isCloseTo(500_000L, org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(h.quantile(0.99))
        .isCloseTo(990_000L, org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(new LatencyHistogram().quantile(0.5)).isEqualTo(-1);
    for (long v : new long[] {0, 1, 127, 128, 129, 1 << 20, (1L << 40) + 12345}) {
      long mid = LatencyHistogram.value(LatencyHistogram.index(v));
      assertThat((double) Math.abs(mid - v)).isLessThanOrEqualTo(Math.max(1, v / 64.0));
    }
  }

  @Test
  void prometheusCountersAreSummedAcrossLabels() {
    String text =
        """
        # TYPE otelcol_receiver_accepted_spans counter
        otelcol_receiver_accepted_spans_total{receiver="kafka",transport="kafka"} 1200.0
        otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 34.0
        otelcol_receiver_accepted_spans_created{receiver="kafka"} 1.7E9
        otelcol_receiver_refused_spans_total{receiver="kafka"} 5.0
        """;
    assertThat(TierProcess.sum(text, "otelcol_receiver_accepted_spans", "")).isEqualTo(1234.0);
    assertThat(TierProcess.sum(text, "otelcol_receiver_accepted_spans", "receiver=\"kafka\""))
        .isEqualTo(1200.0);
    assertThat(TierProcess.sum(text, "otelcol_exporter_sent_spans", "")).isZero();
  }
}
