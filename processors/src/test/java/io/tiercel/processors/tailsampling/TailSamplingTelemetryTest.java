package io.tiercel.processors.tailsampling;

import static io.tiercel.processors.tailsampling.PoliciesTest.span;
import static io.tiercel.processors.tailsampling.PoliciesTest.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.testing.TestClock;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.consumer.RecordingSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The collector's tail_sampling metrics on timing and errors: {@code
 * sampling_decision_timer_latency}, {@code sampling_trace_removal_age}, {@code
 * sampling_late_span_age} and {@code sampling_policy_evaluation_error}.
 */
class TailSamplingTelemetryTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String P = "otelcol_processor_tail_sampling_";

  private final TestClock clock = TestClock.create();
  private final MetricsRegistry metrics = new MetricsRegistry();
  private final RecordingSink<Traces> sink = RecordingSink.create();
  private TailSamplingProcessor proc;

  /** A policy that samples error traces and fails on the others. */
  private static final class FailsOnFine implements Policy {
    @Override
    public String name() {
      return "fails-on-fine";
    }

    @Override
    public String type() {
      return "test";
    }

    @Override
    public Decision evaluate(TraceView trace) {
      if (trace.traceId().equals(traceId(2))) {
        throw new IllegalStateException("cannot evaluate");
      }
      return Decision.SAMPLED;
    }
  }

  private void start(List<Policy> policies) {
    Settings settings =
        new Settings(
            ComponentId.parse("tail_sampling"),
            Kind.PROCESSOR,
            Signal.TRACES,
            org.slf4j.LoggerFactory.getLogger("test"),
            metrics,
            clock,
            BuildInfo.DEFAULT,
            io.tiercel.core.component.SharedComponents.create());
    TailSamplingConfig cfg =
        new TailSamplingConfig(
            WAIT,
            100,
            0,
            new TailSamplingConfig.DecisionCache(100, 100),
            false,
            List.of(new SharedPolicy.AlwaysSample("all", null)),
            Duration.ZERO,
            0,
            false,
            false);
    proc = new TailSamplingProcessor(settings, cfg, sink, Duration.ofMillis(2), policies);
    proc.start(TestHost.create());
  }

  @AfterEach
  void stop() throws Exception {
    if (proc != null) {
      proc.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }

  private static Traces batch(Span... spans) {
    return Traces.of(
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
            .build());
  }

  private static Span spanOf(int trace) {
    return span(traceId(trace), 0, 1, Status.StatusCode.STATUS_CODE_OK);
  }

  private DistributionDataPoint histogram(String name) {
    return metrics
        .histogram(P + name, "", new double[] {1}, "processor")
        .labelValues("tail_sampling");
  }

  private double counter(String name) {
    return metrics.counter(P + name, "", "processor").labelValues("tail_sampling").get();
  }

  @Test
  void removalAgeLateSpanAgeAndTimerRuns() throws Exception {
    start(List.of(new FailsOnFine()));
    var first = proc.consume(Context.EMPTY, batch(spanOf(1), spanOf(1)));
    clock.advance(Duration.ofSeconds(7)); // past decision_wait: decided and removed from memory
    first.get(5, TimeUnit.SECONDS);
    assertThat(histogram("sampling_trace_removal_age").getCount()).isEqualTo(1);
    assertThat(histogram("sampling_trace_removal_age").getSum()).isEqualTo(7.0); // whole seconds

    clock.advance(Duration.ofSeconds(30)); // a late span, 30 s after the decision
    proc.consume(Context.EMPTY, batch(spanOf(1))).get(5, TimeUnit.SECONDS);
    assertThat(histogram("sampling_late_span_age").getCount()).isEqualTo(1);
    assertThat(histogram("sampling_late_span_age").getSum()).isEqualTo(30.0);
    assertThat(sink.itemCount()).isEqualTo(3); // the late span followed the cached decision

    // every run of the decision timer is timed, whether or not it decided anything
    long runs = histogram("sampling_decision_timer_latency").getCount();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (histogram("sampling_decision_timer_latency").getCount() < runs + 3
        && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(histogram("sampling_decision_timer_latency").getCount()).isGreaterThan(runs + 2);
    assertThat(counter("sampling_policy_evaluation_error")).isZero();
  }

  @Test
  void aPolicyThatFailsCountsAnEvaluationError() throws Exception {
    start(List.of(new FailsOnFine()));
    var a = proc.consume(Context.EMPTY, batch(spanOf(1), spanOf(2)));
    clock.advance(WAIT.plusSeconds(1));
    a.get(5, TimeUnit.SECONDS);
    assertThat(counter("sampling_policy_evaluation_error")).isEqualTo(1); // trace 2 only
    assertThat(sink.itemCount()).isEqualTo(1); // an error is no sampled decision
  }
}
