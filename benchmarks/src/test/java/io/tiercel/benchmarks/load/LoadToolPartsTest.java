package io.tiercel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void processingConfigNamesParseWithTheirCompression() {
    assertThat(BuiltInConfigs.parse(List.of("all")))
        .extracting(BuiltInConfigs.Processing::label)
        .containsExactly("filter+transform/gzip", "tail_sampling/gzip");
    assertThat(BuiltInConfigs.parse(List.of("issue14")))
        .extracting(BuiltInConfigs.Processing::label)
        .containsExactly(
            "floor (batch -> file)",
            "batch/none",
            "batch/gzip",
            "filter+transform/gzip",
            "tail_sampling/gzip",
            "tail_sampling/none");
    assertThat(BuiltInConfigs.parse(List.of("no_batch/none", "batch/zstd")))
        .containsExactly(
            new BuiltInConfigs.Processing(BuiltInConfigs.Pipeline.no_batch, "none"),
            new BuiltInConfigs.Processing(BuiltInConfigs.Pipeline.batch, "zstd"));
    assertThatThrownBy(() -> BuiltInConfigs.parse(List.of("batch/lz5")))
        .hasMessage("--processing-configs: compression \"lz5\" is not one of none, gzip, zstd");
    assertThatThrownBy(() -> BuiltInConfigs.parse(List.of("fast")))
        .hasMessage(
            "--processing-configs: \"fast\" is not one of all, issue14, floor, no_batch, batch,"
                + " plain, tail_sampling");
  }

  @Test
  void processingConfigsHoldOnlyTheirPipelinesComponents(@TempDir Path dir) throws Exception {
    String noBatch =
        Files.readString(
            BuiltInConfigs.processing(
                dir, new BuiltInConfigs.Processing(BuiltInConfigs.Pipeline.no_batch, "none")));
    assertThat(noBatch)
        .contains("processors: []", "compression: none", "exporters: [otlp_grpc]")
        .doesNotContain("batch:", "filter:");
    String floor =
        Files.readString(
            BuiltInConfigs.processing(dir, BuiltInConfigs.parse(List.of("floor")).get(0)));
    assertThat(floor).contains("processors: [batch]", "format: proto", "exporters: [file]");
    String ts =
        Files.readString(
            BuiltInConfigs.processing(
                dir, BuiltInConfigs.parse(List.of("tail_sampling/none")).get(0)));
    assertThat(ts)
        .contains(
            "processors: [memory_limiter, filter, transform, tail_sampling, batch]",
            "compression: none",
            "max_in_flight");
  }

  @Test
  void threadNamesFallIntoTheirGroupsAlsoWhenLinuxCutsThemTo15Characters() {
    for (String full :
        new String[] {
          "tiercel-kafka-poll",
          "tiercel-tail_sampling-decide",
          "tiercel-batch-batch-traces",
          "grpc-default-executor-3",
          "tiercel-otlp_grpc-traces-retry",
          "kafka-coordinator-heartbeat-thread | tiercel-processing",
          "GC Thread#1",
          "G1 Conc#0",
          "C2 CompilerThread0",
          "tiercel-metrics-1",
          "main"
        }) {
      assertThat(ThreadGroups.of(full.substring(0, Math.min(15, full.length()))))
          .as(full)
          .isEqualTo(ThreadGroups.of(full));
    }
    assertThat(ThreadGroups.of("tiercel-kafka-p")).isEqualTo("kafka poll");
    assertThat(ThreadGroups.of("tiercel-tail_sa")).isEqualTo("tail_sampling");
    assertThat(ThreadGroups.of("grpc-default-ex")).isEqualTo("exporter");
    assertThat(ThreadGroups.of("kafka-coordinat")).isEqualTo("kafka client");
    assertThat(ThreadGroups.of("G1 Refine#0")).isEqualTo("GC");
    assertThat(ThreadGroups.of("C1 CompilerThre")).isEqualTo("JIT");
    assertThat(ThreadGroups.of("java")).isEqualTo("other");
  }

  @Test
  void steadyWindowIsTheDifferenceOfTwoSnapshots() {
    TierProbe.Snapshot a =
        new TierProbe.Snapshot(
            1_000_000_000L,
            600_000,
            10.0,
            Map.of("kafka poll", 4.0, "GC", 1.0, "other", 5.0),
            Map.of(1L, 1_000L, 2L, 500L),
            Map.of(1L, "kafka poll", 2L, "batch"),
            100,
            3);
    TierProbe.Snapshot b =
        new TierProbe.Snapshot(
            3_000_000_000L,
            2_600_000,
            14.0,
            Map.of("kafka poll", 6.0, "GC", 1.5, "other", 6.5),
            Map.of(1L, 2_001_000L, 3L, 1_000_000L),
            Map.of(1L, "kafka poll", 3L, "exporter"),
            300,
            5);
    TierProbe.Steady w = TierProbe.Steady.between(a, b);
    assertThat(w.spans()).isEqualTo(2_000_000);
    assertThat(w.seconds()).isEqualTo(2.0);
    assertThat(w.cpuPerMillion()).isEqualTo(2.0);
    assertThat(w.groupCpuPerMillion("kafka poll")).isEqualTo(1.0);
    assertThat(w.gcShare()).isEqualTo(0.125);
    // thread 2 ended: its bytes are lost; thread 3 started inside the window: all of it counts
    assertThat(w.allocated()).isEqualTo(3_000_000L);
    assertThat(w.allocatedByGroup()).containsEntry("exporter", 1_000_000L);
    assertThat(w.bytesPerSpan()).isEqualTo(1.5);
    assertThat(w.pauseShare()).isEqualTo(0.1);
    assertThat(w.collections()).isEqualTo(2);
  }

  @Test
  void scalingTableGivesEachInstancesCostPerMillionSpansAndTheMedianAgainstOneInstance() {
    List<Scaling.Row> rows =
        List.of(
            new Scaling.Row("plain", 1, 1, 2_000_000, 20.0, 3_000_000, 40.0, true),
            new Scaling.Row("plain", 2, 1, 1_000_000, 11.0, 1_500_000, 25.0, true),
            new Scaling.Row("plain", 2, 2, 1_000_000, 9.0, 1_500_000, 24.0, true));
    assertThat(rows.get(0).cpuPerMillion()).isEqualTo(10.0);
    assertThat(new Scaling.Row("plain", 3, 3, 0, 1.0, 0, 2.0, true).cpuPerMillion()).isNaN();
    String md = Scaling.markdown(rows);
    assertThat(md)
        .contains("| plain | 1 | 1 | 2,000,000 | 20.00 | 10.00 | 3,000,000 | 40.00 |")
        .contains("| plain | 2 | 2 | 1,000,000 | 9.00 | 9.00 | 1,500,000 | 24.00 |")
        .contains("| plain | 1 | 10.00 | 1.00 |")
        .contains("| plain | 2 | 10.00 | 1.00 |");
  }
}
