package io.tiercel.processors.tailsampling;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.tiercel.core.component.Settings;
import java.util.List;

/**
 * The processor's telemetry, the collector's {@code otelcol_processor_tail_sampling_*} metrics (and
 * Tiercel's {@code traces_decided_early}, {@code traces_refused}), labelled with the processor id:
 * registered once, then counted without a lookup.
 */
final class TailSamplingMetrics {
  final CounterDataPoint[][] policyTraces; // [policy][0 = not sampled, 1 = sampled]
  final CounterDataPoint[][] policySpans;
  final CounterDataPoint[] globalTraces;
  final CounterDataPoint[] lateReleases;
  final CounterDataPoint newTraces;
  final CounterDataPoint decidedEarly;
  final CounterDataPoint tooEarly;
  final CounterDataPoint tooLarge;
  final CounterDataPoint refusedTraces;
  final GaugeDataPoint onMemory;
  final DistributionDataPoint decisionLatency;
  final DistributionDataPoint decisionTimerLatency;
  final DistributionDataPoint traceRemovalAge;
  final DistributionDataPoint lateSpanAge;
  final CounterDataPoint policyEvaluationErrors;

  /**
   * Registers the metrics of processor {@code settings.id()} whose policies are {@code ps}, in
   * evaluation order (the order of {@link DecisionEngine.Outcome#decisions()}).
   */
  TailSamplingMetrics(Settings settings, List<Policy> ps) {
    String id = settings.id().toString();
    var m = settings.metrics();
    String pfx = "otelcol_processor_tail_sampling_";
    Counter traces =
        m.counter(
            pfx + "count_traces_sampled",
            "Count of traces that were sampled or not per sampling policy",
            "processor",
            "policy",
            "sampled");
    Counter spans =
        m.counter(
            pfx + "count_spans_sampled",
            "Count of spans that were sampled or not per sampling policy",
            "processor",
            "policy",
            "sampled");
    policyTraces = new CounterDataPoint[ps.size()][2];
    policySpans = new CounterDataPoint[ps.size()][2];
    for (int i = 0; i < ps.size(); i++) {
      for (int s = 0; s < 2; s++) {
        policyTraces[i][s] = traces.labelValues(id, ps.get(i).name(), String.valueOf(s == 1));
        policySpans[i][s] = spans.labelValues(id, ps.get(i).name(), String.valueOf(s == 1));
      }
    }
    Counter global =
        m.counter(
            pfx + "global_count_traces_sampled",
            "Global count of traces that were sampled or not by at least one policy",
            "processor",
            "sampled");
    globalTraces =
        new CounterDataPoint[] {global.labelValues(id, "false"), global.labelValues(id, "true")};
    Counter late =
        m.counter(
            pfx + "early_releases_from_cache_decision",
            "Number of spans that were able to be immediately released due to a decision cache hit",
            "processor",
            "sampled");
    lateReleases =
        new CounterDataPoint[] {late.labelValues(id, "false"), late.labelValues(id, "true")};
    newTraces =
        m.counter(pfx + "new_trace_id_received", "Counts the arrival of new traces", "processor")
            .labelValues(id);
    decidedEarly =
        m.counter(
                pfx + "traces_decided_early",
                "Traces decided before decision_wait because num_traces was reached",
                "processor")
            .labelValues(id);
    tooEarly =
        m.counter(
                pfx + "sampling_trace_dropped_too_early",
                "Count of traces that needed to be dropped before the configured wait time",
                "processor")
            .labelValues(id);
    tooLarge =
        m.counter(
                pfx + "traces_dropped_too_large",
                "Count of traces that were dropped because they were too large",
                "processor")
            .labelValues(id);
    refusedTraces =
        m.counter(
                pfx + "traces_refused",
                "Batches refused with a retryable error because num_traces was reached"
                    + " (block_on_overflow)",
                "processor")
            .labelValues(id);
    onMemory =
        m.gauge(
                pfx + "sampling_traces_on_memory",
                "Tracks the number of traces current on memory",
                "processor")
            .labelValues(id);
    decisionLatency =
        m.histogram(
                pfx + "sampling_decision_latency",
                "Latency (in microseconds) of a given sampling policy",
                LATENCY_BUCKETS,
                "processor")
            .labelValues(id);
    decisionTimerLatency =
        m.histogram(
                pfx + "sampling_decision_timer_latency",
                "Latency (in milliseconds) of each run of the sampling decision timer",
                LATENCY_BUCKETS,
                "processor")
            .labelValues(id);
    traceRemovalAge =
        m.histogram(
                pfx + "sampling_trace_removal_age",
                "Time (in seconds) from arrival of a new trace until its removal from memory",
                AGE_BUCKETS,
                "processor")
            .labelValues(id);
    lateSpanAge =
        m.histogram(
                pfx + "sampling_late_span_age",
                "Time (in seconds) from the sampling decision was taken and the arrival of a late"
                    + " span",
                AGE_BUCKETS,
                "processor")
            .labelValues(id);
    policyEvaluationErrors =
        m.counter(
                pfx + "sampling_policy_evaluation_error",
                "Count of sampling policy evaluation errors",
                "processor")
            .labelValues(id);
  }

  private static final double[] LATENCY_BUCKETS = {
    1, 2, 5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 2000, 3000, 4000, 5000, 10000,
    20000, 30000, 50000
  };

  /** The OpenTelemetry SDK's default histogram bounds, which the collector's age histograms use. */
  private static final double[] AGE_BUCKETS = {
    0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000
  };
}
