package io.tiercel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.processors.tailsampling.Decision;
import io.tiercel.processors.tailsampling.DecisionEngine;
import io.tiercel.processors.tailsampling.Policy;
import io.tiercel.processors.tailsampling.TraceView;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tail_sampling benchmarks measure what they say: their data, their config and their tools'
 * checks.
 */
class TailSamplingToolsTest {
  private static final int POOL = 64;

  @Test
  void batchesCarryWholeTracesSplitOverTwoConsecutiveBatches() throws Exception {
    TracesData[] pool = new TailSamplingData.Batches(1).cycle(POOL, 1_700_000_000_000_000_000L);
    for (TracesData b : pool) {
      assertThat(TailSamplingData.spans(b)).isEqualTo(TailSamplingData.SPANS_PER_BATCH);
    }
    // batch k holds 32 new traces (8 spans each) and the rest of the 32 of batch k-1 (7 spans each)
    List<TraceView> first = TailSamplingData.wholeTraces(pool[1]);
    assertThat(first).hasSize(2 * TailSamplingData.TRACES_PER_BATCH);
    assertThat(first.stream().mapToInt(TraceView::spanCount).sorted().distinct())
        .containsExactly(
            TailSamplingData.SPANS_PER_TRACE - TailSamplingData.FIRST_PART,
            TailSamplingData.FIRST_PART);
    List<TraceView> all = TailSamplingData.wholeTraces(pool);
    assertThat(all)
        .hasSize(POOL * TailSamplingData.TRACES_PER_BATCH)
        .allSatisfy(t -> assertThat(t.spanCount()).isEqualTo(TailSamplingData.SPANS_PER_TRACE));
  }

  @Test
  void theFivePoliciesEachDecideSomeTracesOfTheBenchmarkData() throws Exception {
    DecisionEngine engine = TailSamplingData.engine();
    List<String> names = engine.policies().stream().map(Policy::name).toList(); // evaluation order
    assertThat(engine.policies())
        .extracting(p -> p.name() + ":" + p.type())
        .containsExactlyInAnyOrder(
            "errors:status_code",
            "slow:latency",
            "some-of-the-rest:probabilistic",
            "customers:string_attribute",
            "no-health-checks:drop");
    List<TraceView> traces =
        TailSamplingData.wholeTraces(
            new TailSamplingData.Batches(1).cycle(POOL, 1_700_000_000_000_000_000L));
    Map<String, Integer> sampledBy = new HashMap<>();
    Set<Decision> dropDecisions = new HashSet<>();
    int kept = 0;
    for (TraceView t : traces) {
      DecisionEngine.Outcome o = engine.decide(t);
      assertThat(o.decisions())
          .hasSize(names.size()); // the drop never matches, so every policy runs
      for (int i = 0; i < names.size(); i++) {
        if (o.decisions().get(i) == Decision.SAMPLED) {
          sampledBy.merge(names.get(i), 1, Integer::sum);
        }
      }
      dropDecisions.add(o.decisions().get(names.indexOf("no-health-checks")));
      kept += o.sampled() ? 1 : 0;
    }
    int n = traces.size();
    // errors (0.5 % of spans: ~7 % of traces), slow (root >= 1.8 s: ~10 %), 10 %, two customers (~3
    // %)
    assertThat(sampledBy.getOrDefault("errors", 0)).isBetween(n / 50, n / 6);
    assertThat(sampledBy.getOrDefault("slow", 0)).isBetween(n / 20, n / 5);
    assertThat(sampledBy.getOrDefault("some-of-the-rest", 0)).isBetween(n / 14, n / 7);
    assertThat(sampledBy.getOrDefault("customers", 0)).isBetween(n / 100, n / 15);
    assertThat(dropDecisions)
        .containsExactly(Decision.NOT_SAMPLED); // evaluated for every trace, never drops
    assertThat(kept).isBetween(n / 5, n * 2 / 5);
  }

  @Test
  void memoryToolBuffersEverySpanAndDecidesNone() throws Exception {
    TailSamplingMemory.Result r = TailSamplingMemory.measure(4_800);
    assertThat(r.spans()).isEqualTo(4_800);
    assertThat(r.traces()).isEqualTo(4_800 / TailSamplingData.SPANS_PER_TRACE);
    assertThat(r.wirePerSpan()).isBetween(150.0, 600.0);
    assertThat(r.perSpan()).isGreaterThan(r.wirePerSpan());
  }

  @Test
  void latencyToolDeliversEverySampledTraceWholeAndTimesEveryDecision() throws Exception {
    TailSamplingLatency.Result r = TailSamplingLatency.run(9_600, 1, "300ms", "50ms");
    assertThat(r.sentSpans()).isEqualTo(9_600);
    assertThat(r.traces()).isEqualTo(9_600 / TailSamplingData.SPANS_PER_TRACE);
    assertThat(r.sampledTraces()).isPositive().isLessThan(r.traces());
    assertThat(r.deliveredSpans()).isEqualTo(r.sampledTraces() * TailSamplingData.SPANS_PER_TRACE);
    assertThat(r.decisions()).isEqualTo(r.traces());
    assertThat(r.rows()).hasSize(5);
  }
}
