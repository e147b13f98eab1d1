package io.tiercel.core.pdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {
  @Test
  void splitsMetricsInsideAMetricKeepingEveryPointOnce() {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < 7; i++) {
      g.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i));
    }
    Histogram.Builder h = Histogram.newBuilder();
    for (int i = 0; i < 4; i++) {
      h.addDataPoints(HistogramDataPoint.newBuilder().setCount(100 + i));
    }
    ScopeMetrics sm =
        ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("g").setGauge(g))
            .addMetrics(Metric.newBuilder().setName("h").setHistogram(h))
            .build();
    MetricsData d =
        MetricsData.newBuilder()
            .addResourceMetrics(
                io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder().addScopeMetrics(sm))
            .build();

    List<Metrics> parts = Batches.split(Metrics.ofBytes(d.toByteArray()), 5);
    assertThat(parts).extracting(Metrics::itemCount).containsExactly(5, 5, 1);
    List<String> seen = new ArrayList<>();
    for (Metrics p : parts) {
      p.message()
          .getResourceMetrics(0)
          .getScopeMetrics(0)
          .getMetricsList()
          .forEach(
              m -> {
                if (m.hasGauge()) {
                  m.getGauge().getDataPointsList().forEach(pt -> seen.add("g" + pt.getAsInt()));
                } else {
                  m.getHistogram().getDataPointsList().forEach(pt -> seen.add("h" + pt.getCount()));
                }
              });
    }
    assertThat(seen)
        .containsExactly("g0", "g1", "g2", "g3", "g4", "g5", "g6", "h100", "h101", "h102", "h103");
    assertThat(Batches.join(parts).itemCount()).isEqualTo(11);
  }

  @Test
  void joiningBytesCarriesTheSumOfTheCountsWithoutWalkingTheJoinedBytes() {
    List<Traces> parts = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      var b = io.opentelemetry.proto.trace.v1.TracesData.newBuilder();
      var ss = b.addResourceSpansBuilder().addScopeSpansBuilder();
      for (int i = 0; i < n; i++) {
        ss.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder().setName("s" + n + i));
      }
      Traces t = Traces.ofBytes(b.build().toByteArray());
      assertThat(t.itemCount()).isEqualTo(n);
      parts.add(t);
    }
    Traces joined = Batches.join(parts);
    assertThat(joined.hasMessage()).isFalse();
    assertThat(joined.toString())
        .contains("items=6"); // known before anyone asked: no walk of the joined bytes
    assertThat(joined.itemCount()).isEqualTo(6);
    assertThat(joined.message().getResourceSpansCount()).isEqualTo(3);
  }

  @Test
  void splitsLogsAndJoinsMessagesWithoutBytes() {
    LogsData.Builder b = LogsData.newBuilder();
    for (int r = 0; r < 3; r++) {
      var sl = b.addResourceLogsBuilder().addScopeLogsBuilder();
      for (int i = 0; i < 3; i++) {
        sl.addLogRecords(LogRecord.newBuilder().setSeverityText("r" + r + "l" + i));
      }
    }
    List<Logs> parts = Batches.split(Logs.of(b.build()), 4);
    assertThat(parts).extracting(Logs::itemCount).containsExactly(4, 4, 1);
    Logs joined = Batches.join(parts);
    assertThat(joined.hasMessage()).isTrue();
    assertThat(joined.itemCount()).isEqualTo(9);
    assertThat(joined.message().getResourceLogsCount())
        .isEqualTo(5); // resource 1 and 2 were cut in two
  }
}
