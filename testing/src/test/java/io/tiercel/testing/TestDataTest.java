package io.tiercel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.WireFormat;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestDataTest {
  @Test
  void tracesHaveDistinctTraceIdsAndTheRequestedSpans() {
    Traces t = TestData.traces(50, 4, 7);
    assertThat(t.itemCount()).isEqualTo(200);
    Map<String, Integer> byTrace = TestData.spansByTrace(t.message());
    assertThat(byTrace).hasSize(50);
    assertThat(byTrace.values()).containsOnly(4);
    assertThat(byTrace.keySet()).allMatch(id -> id.matches("[0-9a-f]{32}"));
    assertThat(t.message().getResourceSpansCount()).isEqualTo(3);
    assertThat(
            t.message()
                .getResourceSpans(0)
                .getResource()
                .getAttributes(0)
                .getValue()
                .getStringValue())
        .isEqualTo("checkout");
    // the wire walk agrees with the parsed count
    assertThat(WireFormat.countItems(t.signal(), t.bytes())).isEqualTo(200);
  }

  @Test
  void everyTraceHasOneRootAndChildrenPointingToIt() {
    TracesData d = TestData.tracesData(10, 5, 3);
    Set<String> spanIds = new HashSet<>();
    int roots = 0;
    int errors = 0;
    for (var rs : d.getResourceSpansList()) {
      for (var ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          assertThat(spanIds.add(TestData.hex(s.getTraceId()) + TestData.hex(s.getSpanId())))
              .isTrue();
          assertThat(s.getEndTimeUnixNano()).isGreaterThan(s.getStartTimeUnixNano());
          if (s.getParentSpanId().isEmpty()) {
            roots++;
            assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
            if (s.getStatus().getCode()
                == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR) {
              errors++;
              assertThat(s.getEvents(0).getName()).isEqualTo("exception");
            }
          }
        }
      }
    }
    assertThat(roots).isEqualTo(10);
    assertThat(errors).isLessThan(10);
  }

  @Test
  void sameSeedSameDataOtherSeedOtherIds() {
    assertThat(TestData.traces(5, 3, 42)).isEqualTo(TestData.traces(5, 3, 42));
    assertThat(TestData.metrics(4, 2, 42)).isEqualTo(TestData.metrics(4, 2, 42));
    assertThat(TestData.logs(6, 42)).isEqualTo(TestData.logs(6, 42));
    assertThat(TestData.spansByTrace(TestData.tracesData(5, 3, 42)).keySet())
        .doesNotContainAnyElementsOf(TestData.spansByTrace(TestData.tracesData(5, 3, 43)).keySet());
  }

  @Test
  void metricsCountTheirPointsAcrossKinds() {
    Metrics m = TestData.metrics(6, 5, 1);
    assertThat(m.itemCount()).isEqualTo(30);
    assertThat(WireFormat.countItems(m.signal(), m.bytes())).isEqualTo(30);
    var metrics = m.message().getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
    assertThat(metrics)
        .extracting(Metric::getDataCase)
        .containsExactly(
            Metric.DataCase.SUM,
            Metric.DataCase.GAUGE,
            Metric.DataCase.HISTOGRAM,
            Metric.DataCase.SUM,
            Metric.DataCase.GAUGE,
            Metric.DataCase.HISTOGRAM);
    assertThat(metrics).extracting(Metric::getName).doesNotHaveDuplicates();
    var h = metrics.get(2).getHistogram().getDataPoints(0);
    assertThat(h.getBucketCountsCount()).isEqualTo(h.getExplicitBoundsCount() + 1);
    assertThat(h.getBucketCountsList().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(h.getCount());
  }

  @Test
  void logsCarryDistinctTraceIds() {
    Logs l = TestData.logs(30, 9);
    assertThat(l.itemCount()).isEqualTo(30);
    Set<String> ids = new HashSet<>();
    l.message()
        .getResourceLogsList()
        .forEach(
            rl ->
                rl.getScopeLogsList()
                    .forEach(
                        sl ->
                            sl.getLogRecordsList()
                                .forEach(r -> ids.add(TestData.hex(r.getTraceId())))));
    assertThat(ids).hasSize(30);
    assertThat(l.message().getResourceLogsCount()).isEqualTo(3);
  }

  @Test
  void emptyAndInvalidSizes() {
    assertThat(TestData.traces(0, 1, 1).itemCount()).isZero();
    assertThat(TestData.logs(0, 1).isEmpty()).isTrue();
    assertThat(TestData.metrics(0, 0, 1).itemCount()).isZero();
    assertThatThrownBy(() -> TestData.traces(1, 0, 1))
        .hasMessage("spansPerTrace must be at least 1: 0");
    assertThatThrownBy(() -> TestData.logs(-1, 1)).hasMessage("records must not be negative: -1");
  }
}
