package io.tiercel.processors.tailsampling;

import static io.tiercel.processors.tailsampling.PoliciesTest.span;
import static io.tiercel.processors.tailsampling.PoliciesTest.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.testing.TestClock;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.consumer.RecordingSink;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The processor with a 2 ms tick and a manual clock: buffering, deciding, caching and
 * acknowledgement.
 */
class TailSamplingProcessorTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration T =
      Duration.ofSeconds(30); // generous: awaits return as soon as it happens

  private final TestClock clock = TestClock.create();
  private final MetricsRegistry metrics = new MetricsRegistry();
  private final RecordingSink<Traces> sink = RecordingSink.holding();
  private TailSamplingProcessor proc;

  /** The decision thread's tick: short, so that a decision follows the clock within ms. */
  private static final Duration TICK = Duration.ofMillis(2);

  private static final List<PolicyConfig> ERRORS_ONLY =
      List.of(
          new SharedPolicy.StatusCode(
              "errors",
              new SharedPolicy.StatusCode.Settings(List.of(SharedPolicy.StatusCode.Code.ERROR))));

  private TailSamplingProcessor start(int numTraces, boolean block) {
    return start(
        new TailSamplingConfig(
            WAIT,
            numTraces,
            0,
            new TailSamplingConfig.DecisionCache(100, 100),
            block,
            ERRORS_ONLY,
            Duration.ZERO,
            0,
            false,
            false));
  }

  private Settings settings() {
    return new Settings(
        ComponentId.parse("tail_sampling"),
        Kind.PROCESSOR,
        Signal.TRACES,
        org.slf4j.LoggerFactory.getLogger("test"),
        metrics,
        clock,
        BuildInfo.DEFAULT,
        io.tiercel.core.component.SharedComponents.create());
  }

  private TailSamplingProcessor start(TailSamplingConfig cfg) {
    proc = new TailSamplingProcessor(settings(), cfg, sink, TICK);
    proc.start(TestHost.create());
    return proc;
  }

  @AfterEach
  void stop() throws Exception {
    sink.hold(false);
    sink.completeAll();
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

  private static Span err(int trace) {
    return span(traceId(trace), 0, 1, Status.StatusCode.STATUS_CODE_ERROR);
  }

  private static Span fine(int trace) {
    return span(traceId(trace), 0, 1, Status.StatusCode.STATUS_CODE_OK);
  }

  private Set<ByteString> forwardedTraces() {
    Set<ByteString> ids = new HashSet<>();
    for (Traces t : sink.data()) {
      for (ResourceSpans rs : t.message().getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            ids.add(s.getTraceId());
          }
        }
      }
    }
    return ids;
  }

  private double counter(String name, String... labels) {
    String[] names =
        labels.length == 1
            ? new String[] {"processor"}
            : labels.length == 2
                ? new String[] {"processor", "sampled"}
                : new String[] {"processor", "policy", "sampled"};
    return metrics.counter(name, "", names).labelValues(labels).get();
  }

  @Test
  void liveStatusListsThePoliciesInOrderAndTheLimits() {
    start(7, false);
    assertThat(proc.liveStatus())
        .containsEntry("policies", List.of("errors"))
        .containsEntry("decision_wait", io.tiercel.core.config.GoDuration.format(WAIT))
        .containsEntry("num_traces", 7);
  }

  @Test
  void upstreamCompletesOnlyAfterTheDecisionAndTheDownstreamAccepted() throws Exception {
    start(100, false);
    CompletableFuture<Void> f = proc.consume(Context.EMPTY, batch(err(1), fine(1), fine(2)));
    Thread.sleep(20);
    assertThat(f).isNotDone();
    assertThat(sink.callCount()).isZero();
    clock.advance(WAIT);
    sink.awaitCalls(1, T);
    assertThat(sink.itemCount()).isEqualTo(2);
    assertThat(forwardedTraces()).containsExactly(traceId(1));
    assertThat(f).isNotDone(); // held by the downstream
    sink.completeAll();
    f.get(5, java.util.concurrent.TimeUnit.SECONDS);
    String p = "otelcol_processor_tail_sampling_";
    assertThat(counter(p + "global_count_traces_sampled", "tail_sampling", "true")).isEqualTo(1);
    assertThat(counter(p + "global_count_traces_sampled", "tail_sampling", "false")).isEqualTo(1);
    assertThat(counter(p + "count_traces_sampled", "tail_sampling", "errors", "true")).isEqualTo(1);
    assertThat(counter(p + "count_spans_sampled", "tail_sampling", "errors", "true")).isEqualTo(2);
    assertThat(counter(p + "new_trace_id_received", "tail_sampling")).isEqualTo(2);
  }

  @Test
  void dataEditedUpstreamIsBufferedAsTheBytesItsViewSerializes() throws Exception {
    start(100, false);
    sink.hold(false);
    TracesView v = batch(err(1), fine(1), fine(2), err(3)).view();
    v.dropSpan(2); // filter dropped trace 2's span
    v.editSpan(3).setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    CompletableFuture<Void> f = proc.consume(Context.EMPTY, Traces.ofView(v));
    clock.advance(WAIT);
    f.get(5, java.util.concurrent.TimeUnit.SECONDS);
    // trace 3 no longer has an error: only trace 1 is sampled, with both its spans
    assertThat(forwardedTraces()).containsExactly(traceId(1));
    assertThat(sink.data().get(0).message().getResourceSpans(0).getScopeSpans(0).getSpansList())
        .containsExactly(err(1), fine(1));
    String p = "otelcol_processor_tail_sampling_";
    assertThat(counter(p + "new_trace_id_received", "tail_sampling")).isEqualTo(2);
  }

  @Test
  void aBatchWaitsForEveryTraceItTouched() throws Exception {
    start(100, false);
    CompletableFuture<Void> first = proc.consume(Context.EMPTY, batch(err(1)));
    clock.advance(Duration.ofSeconds(3));
    CompletableFuture<Void> second = proc.consume(Context.EMPTY, batch(err(1), err(2)));
    clock.advance(Duration.ofSeconds(2)); // trace 1 is due, trace 2 is not
    sink.awaitCalls(1, T);
    sink.completeAll();
    first.get(5, java.util.concurrent.TimeUnit.SECONDS);
    Thread.sleep(20);
    assertThat(second).isNotDone();
    clock.advance(Duration.ofSeconds(3));
    sink.awaitCalls(2, T);
    sink.completeAll();
    second.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(sink.itemCount()).isEqualTo(3);
  }

  @Test
  void lateSpansFollowTheCachedDecision() throws Exception {
    start(100, false);
    sink.hold(false);
    CompletableFuture<Void> f = proc.consume(Context.EMPTY, batch(err(1), fine(2)));
    clock.advance(WAIT);
    f.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(sink.itemCount()).isEqualTo(1);
    CompletableFuture<Void> late = proc.consume(Context.EMPTY, batch(fine(1), fine(1), fine(2)));
    late.get(5, java.util.concurrent.TimeUnit.SECONDS); // no wait: both traces were decided
    assertThat(sink.itemCount()).isEqualTo(3);
    assertThat(forwardedTraces()).containsExactly(traceId(1));
    String p = "otelcol_processor_tail_sampling_early_releases_from_cache_decision";
    assertThat(counter(p, "tail_sampling", "true")).isEqualTo(2);
    assertThat(counter(p, "tail_sampling", "false")).isEqualTo(1);
  }

  @Test
  void atNumTracesTheOldestTraceIsDecidedEarly() throws Exception {
    start(2, false);
    sink.hold(false);
    CompletableFuture<Void> a = proc.consume(Context.EMPTY, batch(err(1)));
    CompletableFuture<Void> b = proc.consume(Context.EMPTY, batch(err(2)));
    CompletableFuture<Void> c = proc.consume(Context.EMPTY, batch(err(3)));
    a.get(5, java.util.concurrent.TimeUnit.SECONDS); // decided early, without the clock moving
    assertThat(forwardedTraces()).containsExactly(traceId(1));
    assertThat(b).isNotDone();
    assertThat(c).isNotDone();
    assertThat(
            metrics
                .gauge("otelcol_processor_tail_sampling_sampling_traces_on_memory", "", "processor")
                .labelValues("tail_sampling")
                .get())
        .isEqualTo(2);
    assertThat(counter("otelcol_processor_tail_sampling_traces_decided_early", "tail_sampling"))
        .isEqualTo(1);
  }

  @Test
  void tracesDecidedEarlyAtNumTracesCountAsDroppedTooEarlyWhenTheirDecisionComesDue()
      throws Exception {
    start(2, false);
    sink.hold(false);
    proc.consume(Context.EMPTY, batch(err(1)));
    clock.advance(Duration.ofSeconds(2));
    proc.consume(Context.EMPTY, batch(err(2)));
    proc.consume(Context.EMPTY, batch(err(3))); // trace 1 decided early: it was due at 5 s
    proc.consume(Context.EMPTY, batch(err(4))); // trace 2 decided early: due at 7 s
    String tooEarly = "otelcol_processor_tail_sampling_sampling_trace_dropped_too_early";
    Thread.sleep(20); // ticks run; nothing is due yet
    assertThat(counter(tooEarly, "tail_sampling")).isZero();
    assertThat(counter("otelcol_processor_tail_sampling_traces_decided_early", "tail_sampling"))
        .isEqualTo(2);
    clock.advance(Duration.ofSeconds(3)); // 5 s: trace 1's decision would have come now
    awaitCounter(tooEarly, 1);
    Thread.sleep(20);
    assertThat(counter(tooEarly, "tail_sampling")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2)); // 7 s: trace 2's, and trace 3 and 4 are decided normally
    awaitCounter(tooEarly, 2);
    sink.awaitItems(4, T); // traces 3 and 4 in one request: decided in the same tick
    Thread.sleep(20);
    assertThat(counter(tooEarly, "tail_sampling")).isEqualTo(2);
    assertThat(sink.itemCount())
        .isEqualTo(4); // nothing was lost: every trace was decided (all are errors)
  }

  private void awaitCounter(String name, double value) throws InterruptedException {
    long end = System.nanoTime() + T.toNanos();
    while (counter(name, "tail_sampling") < value && System.nanoTime() < end) {
      Thread.sleep(2);
    }
    assertThat(counter(name, "tail_sampling")).isEqualTo(value);
  }

  private static Span child(int trace) {
    return fine(trace).toBuilder()
        .setParentSpanId(
            com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .build();
  }

  private static Span root(int trace) {
    return fine(trace).toBuilder().setParentSpanId(com.google.protobuf.ByteString.EMPTY).build();
  }

  private TailSamplingConfig keepAll(Duration afterRoot, long maxBytes) {
    return new TailSamplingConfig(
        Duration.ofSeconds(10),
        100,
        0,
        new TailSamplingConfig.DecisionCache(100, 100),
        false,
        List.of(new SharedPolicy.AlwaysSample("all", null)),
        afterRoot,
        maxBytes,
        false,
        false);
  }

  @Test
  void aRootSpanMakesTheTraceDueAfterTheShorterWait() throws Exception {
    start(keepAll(Duration.ofSeconds(2), 0));
    sink.hold(false);
    CompletableFuture<Void> a = proc.consume(Context.EMPTY, batch(child(1)));
    CompletableFuture<Void> b = proc.consume(Context.EMPTY, batch(child(2)));
    clock.advance(Duration.ofSeconds(1));
    CompletableFuture<Void> aRoot =
        proc.consume(Context.EMPTY, batch(root(1))); // trace 1 due at 3 s, not 10 s
    clock.advance(Duration.ofMillis(1999));
    Thread.sleep(20);
    assertThat(a).isNotDone();
    clock.advance(Duration.ofMillis(1)); // 3 s
    a.get(5, TimeUnit.SECONDS);
    aRoot.get(5, TimeUnit.SECONDS);
    assertThat(forwardedTraces()).containsExactly(traceId(1));
    assertThat(sink.itemCount()).isEqualTo(2);
    // a root arriving when decision_wait is sooner anyway changes nothing
    clock.advance(Duration.ofSeconds(6)); // 9 s
    CompletableFuture<Void> bRoot = proc.consume(Context.EMPTY, batch(root(2)));
    clock.advance(Duration.ofMillis(999));
    Thread.sleep(20);
    assertThat(b).isNotDone();
    clock.advance(Duration.ofMillis(1)); // 10 s: trace 2's decision_wait
    b.get(5, TimeUnit.SECONDS);
    bRoot.get(5, TimeUnit.SECONDS);
    assertThat(sink.itemCount()).isEqualTo(4);
    // a root in the first batch: due 2 s after it
    CompletableFuture<Void> c = proc.consume(Context.EMPTY, batch(root(3), child(3)));
    clock.advance(Duration.ofSeconds(2));
    c.get(5, TimeUnit.SECONDS);
    assertThat(sink.itemCount()).isEqualTo(6);
  }

  @Test
  void withoutTheSettingARootSpanChangesNothing() throws Exception {
    start(keepAll(Duration.ZERO, 0));
    CompletableFuture<Void> a = proc.consume(Context.EMPTY, batch(root(1), child(1)));
    clock.advance(Duration.ofSeconds(9));
    Thread.sleep(20);
    assertThat(a).isNotDone();
    assertThat(sink.callCount()).isZero();
  }

  @Test
  void aTraceOverMaximumTraceSizeBytesIsNotSampledAtOnceAndRemembered() throws Exception {
    Span big =
        fine(1).toBuilder().addAttributes(PoliciesTest.kv("payload", "x".repeat(300))).build();
    long oneBig =
        TraceView.fieldSize(
            TraceFragments.group(batch(big).message()).get(traceId(1)).get(0).getSerializedSize());
    start(keepAll(Duration.ZERO, oneBig)); // trace 1 fits with one big span, not with two
    sink.hold(false);
    CompletableFuture<Void> first = proc.consume(Context.EMPTY, batch(big));
    CompletableFuture<Void> small = proc.consume(Context.EMPTY, batch(fine(2), fine(2)));
    Thread.sleep(20);
    assertThat(first).isNotDone(); // exactly at the limit is not over it
    CompletableFuture<Void> second = proc.consume(Context.EMPTY, batch(big));
    first.get(
        5, TimeUnit.SECONDS); // both batches acknowledged at once: trace 1 was dropped by decision
    second.get(5, TimeUnit.SECONDS);
    String p = "otelcol_processor_tail_sampling_";
    assertThat(counter(p + "traces_dropped_too_large", "tail_sampling")).isEqualTo(1);
    assertThat(counter(p + "count_traces_sampled", "tail_sampling", "all", "false"))
        .isZero(); // no policy ran
    assertThat(counter(p + "global_count_traces_sampled", "tail_sampling", "false")).isZero();
    // a late span follows the remembered decision
    proc.consume(Context.EMPTY, batch(fine(1))).get(5, TimeUnit.SECONDS);
    assertThat(counter(p + "early_releases_from_cache_decision", "tail_sampling", "false"))
        .isEqualTo(1);
    assertThat(small).isNotDone();
    clock.advance(Duration.ofSeconds(10));
    small.get(5, TimeUnit.SECONDS);
    assertThat(forwardedTraces()).containsExactly(traceId(2));
    assertThat(sink.itemCount()).isEqualTo(2);
    assertThat(counter(p + "sampling_trace_dropped_too_early", "tail_sampling")).isZero();
  }

  /**
   * A policy that samples traces with an error span and, for {@code slowTrace}, signals {@code
   * entered} and waits for {@code release} before it answers: a policy evaluation in progress, as
   * long as the test wants.
   */
  private static final class SlowPolicy implements Policy {
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    final ByteString slowTrace;

    SlowPolicy(ByteString slowTrace) {
      this.slowTrace = slowTrace;
    }

    @Override
    public String name() {
      return "slow";
    }

    @Override
    public String type() {
      return "test";
    }

    @Override
    public Decision evaluate(TraceView trace) {
      if (trace.traceId().equals(slowTrace)) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return trace.anySpan(
              r -> r.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR)
          ? Decision.SAMPLED
          : Decision.NOT_SAMPLED;
    }
  }

  private SlowPolicy startSlow(int numTraces, int slowTrace) {
    SlowPolicy slow = new SlowPolicy(traceId(slowTrace));
    proc =
        new TailSamplingProcessor(
            settings(),
            new TailSamplingConfig(
                WAIT,
                numTraces,
                0,
                new TailSamplingConfig.DecisionCache(100, 100),
                false,
                ERRORS_ONLY,
                Duration.ZERO,
                0,
                false,
                false),
            sink,
            TICK,
            List.of(slow));
    proc.start(TestHost.create());
    return slow;
  }

  /**
   * Calls consume on another thread, so a consume that blocked would fail the test instead of
   * hanging it.
   */
  private CompletableFuture<Void> consumeElsewhere(Traces data) throws Exception {
    return CompletableFuture.supplyAsync(() -> proc.consume(Context.EMPTY, data))
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void consumeIsNotBlockedWhileTheTickerEvaluatesAPolicy() throws Exception {
    SlowPolicy slow = startSlow(100, 1);
    sink.hold(false);
    CompletableFuture<Void> a = proc.consume(Context.EMPTY, batch(err(1)));
    clock.advance(WAIT);
    assertThat(slow.entered.await(5, TimeUnit.SECONDS)).isTrue(); // the ticker is inside the policy
    // consume returns while the decision is in progress: new traces are buffered as usual
    CompletableFuture<Void> b = consumeElsewhere(batch(err(2), fine(3)));
    assertThat(b).isNotDone();
    assertThat(a).isNotDone();
    assertThat(
            metrics
                .gauge("otelcol_processor_tail_sampling_sampling_traces_on_memory", "", "processor")
                .labelValues("tail_sampling")
                .get())
        .isEqualTo(2);
    slow.release.countDown();
    a.get(5, TimeUnit.SECONDS);
    clock.advance(WAIT);
    b.get(5, TimeUnit.SECONDS);
    assertThat(forwardedTraces()).containsExactlyInAnyOrder(traceId(1), traceId(2));
    String p = "otelcol_processor_tail_sampling_";
    assertThat(counter(p + "global_count_traces_sampled", "tail_sampling", "true")).isEqualTo(2);
    assertThat(counter(p + "global_count_traces_sampled", "tail_sampling", "false")).isEqualTo(1);
  }

  @Test
  void spansArrivingWhileTheirTraceIsDecidedAreDeliveredWithItWhenSampled() throws Exception {
    SlowPolicy slow = startSlow(100, 1);
    CompletableFuture<Void> a = proc.consume(Context.EMPTY, batch(err(1)));
    clock.advance(WAIT);
    assertThat(slow.entered.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> late = consumeElsewhere(batch(fine(1), fine(1)));
    assertThat(late).isNotDone(); // waits for the decision in progress, not for a new decision_wait
    slow.release.countDown();
    sink.awaitCalls(1, T);
    assertThat(sink.callCount()).isEqualTo(1); // one delivery: the trace with its late spans
    assertThat(sink.itemCount()).isEqualTo(3);
    assertThat(late).isNotDone(); // acknowledged only when the downstream accepted the spans
    assertThat(a).isNotDone();
    sink.completeAll();
    a.get(5, TimeUnit.SECONDS);
    late.get(5, TimeUnit.SECONDS);
    String p = "otelcol_processor_tail_sampling_";
    assertThat(counter(p + "early_releases_from_cache_decision", "tail_sampling", "true"))
        .isEqualTo(2);
    assertThat(counter(p + "count_spans_sampled", "tail_sampling", "slow", "true"))
        .isEqualTo(1); // evaluated
    assertThat(counter(p + "new_trace_id_received", "tail_sampling"))
        .isEqualTo(1); // not a new trace
    // after the decision, later spans follow the cache
    sink.hold(false);
    proc.consume(Context.EMPTY, batch(fine(1))).get(5, TimeUnit.SECONDS);
    assertThat(sink.itemCount()).isEqualTo(4);
    assertThat(counter(p + "early_releases_from_cache_decision", "tail_sampling", "true"))
        .isEqualTo(3);
  }

  @Test
  void spansArrivingWhileTheirTraceIsDecidedAreDroppedWithItWhenNotSampled() throws Exception {
    SlowPolicy slow = startSlow(100, 1);
    sink.hold(false);
    CompletableFuture<Void> a = proc.consume(Context.EMPTY, batch(fine(1)));
    clock.advance(WAIT);
    assertThat(slow.entered.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> late = consumeElsewhere(batch(err(1), err(4)));
    assertThat(late).isNotDone();
    slow.release.countDown();
    a.get(5, TimeUnit.SECONDS);
    Thread.sleep(20);
    assertThat(late).isNotDone(); // trace 4 is still buffered
    clock.advance(WAIT);
    late.get(5, TimeUnit.SECONDS);
    // the late error span did not change the decision made on the trace as it was when it came due
    assertThat(forwardedTraces()).containsExactly(traceId(4));
    assertThat(sink.itemCount()).isEqualTo(1);
    String p = "otelcol_processor_tail_sampling_";
    assertThat(counter(p + "early_releases_from_cache_decision", "tail_sampling", "false"))
        .isEqualTo(1);
  }

  @Test
  void anEarlyDecisionAtNumTracesRunsOutsideTheLock() throws Exception {
    SlowPolicy slow = startSlow(1, 1);
    sink.hold(false);
    CompletableFuture<Void> a = proc.consume(Context.EMPTY, batch(err(1)));
    // trace 2 evicts trace 1, whose (slow) decision runs on the evicting caller's thread
    CompletableFuture<CompletableFuture<Void>> b =
        CompletableFuture.supplyAsync(() -> proc.consume(Context.EMPTY, batch(err(2))));
    assertThat(slow.entered.await(5, TimeUnit.SECONDS)).isTrue();
    // another receiving thread is not held up meanwhile (trace 3 in turn evicts trace 2 and waits
    // its turn
    // for the policies, so it sends a late span of trace 1 instead)
    CompletableFuture<Void> late = consumeElsewhere(batch(fine(1)));
    assertThat(late).isNotDone();
    slow.release.countDown();
    a.get(5, TimeUnit.SECONDS);
    late.get(5, TimeUnit.SECONDS);
    assertThat(b.get(5, TimeUnit.SECONDS)).isNotDone(); // trace 2 is buffered
    assertThat(sink.itemCount()).isEqualTo(2);
    assertThat(forwardedTraces()).containsExactly(traceId(1));
    assertThat(counter("otelcol_processor_tail_sampling_traces_decided_early", "tail_sampling"))
        .isEqualTo(1);
  }

  @Test
  void blockOnOverflowRefusesNewTracesWithARetryableError() throws Exception {
    start(1, true);
    CompletableFuture<Void> a = proc.consume(Context.EMPTY, batch(err(1)));
    CompletableFuture<Void> b = proc.consume(Context.EMPTY, batch(err(2)));
    assertThat(b).isCompletedExceptionally();
    assertThat(cause(b)).isInstanceOf(RetryableException.class);
    CompletableFuture<Void> more =
        proc.consume(Context.EMPTY, batch(err(1))); // an existing trace still fits
    assertThat(more).isNotDone();
    assertThat(a).isNotDone();
  }

  @Test
  void aDownstreamFailureFailsTheUpstreamFuture() throws Exception {
    start(100, false);
    CompletableFuture<Void> f = proc.consume(Context.EMPTY, batch(err(1)));
    clock.advance(WAIT);
    sink.awaitCalls(1, T);
    sink.failAll(new RetryableException("backend down"));
    assertThat(cause(f)).isInstanceOf(RetryableException.class).hasMessage("backend down");
  }

  private TailSamplingProcessor startWithDropPending(boolean dropPending) {
    return start(
        new TailSamplingConfig(
            WAIT,
            100,
            0,
            new TailSamplingConfig.DecisionCache(100, 100),
            false,
            ERRORS_ONLY,
            Duration.ZERO,
            0,
            false,
            dropPending));
  }

  @Test
  void dropPendingTracesOnShutdownReleasesUndecidedBatchesWithARetryableError() throws Exception {
    startWithDropPending(true);
    CompletableFuture<Void> f = proc.consume(Context.EMPTY, batch(err(1)));
    CompletableFuture<Void> g = proc.consume(Context.EMPTY, batch(fine(2), err(1)));
    proc.shutdown(Deadline.in(Duration.ofSeconds(5)));
    assertThat(cause(f))
        .isInstanceOf(RetryableException.class)
        .hasMessage("tail_sampling processor tail_sampling shut down before deciding the trace");
    assertThat(cause(g)).isInstanceOf(RetryableException.class);
    assertThat(sink.callCount()).isZero();
    assertThat(
            counter(
                "otelcol_processor_tail_sampling_global_count_traces_sampled",
                "tail_sampling",
                "true"))
        .isZero();
    assertThat(cause(proc.consume(Context.EMPTY, batch(err(2)))))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void shutdownDecidesPendingTracesWithTheSpansTheyHaveByDefault() throws Exception {
    startWithDropPending(false);
    sink.hold(false);
    CompletableFuture<Void> f = proc.consume(Context.EMPTY, batch(err(1), fine(2)));
    CompletableFuture<Void> g = proc.consume(Context.EMPTY, batch(fine(3)));
    Thread.sleep(20);
    assertThat(f).isNotDone(); // decision_wait has not passed
    proc.shutdown(Deadline.in(Duration.ofSeconds(5)));
    f.get(
        5,
        TimeUnit.SECONDS); // trace 1 sampled and accepted downstream, trace 2 dropped by decision
    g.get(5, TimeUnit.SECONDS);
    assertThat(forwardedTraces()).containsExactly(traceId(1));
    String p = "otelcol_processor_tail_sampling_";
    assertThat(counter(p + "global_count_traces_sampled", "tail_sampling", "true")).isEqualTo(1);
    assertThat(counter(p + "global_count_traces_sampled", "tail_sampling", "false")).isEqualTo(2);
    assertThat(cause(proc.consume(Context.EMPTY, batch(err(4)))))
        .isInstanceOf(RetryableException.class);
  }

  @Test
  void aTraceDecidedAtShutdownThatTheDownstreamRefusesFailsItsUpstreamBatch() throws Exception {
    TailSamplingProcessor p = startWithDropPending(false);
    CompletableFuture<Void> f = p.consume(Context.EMPTY, batch(err(1)));
    CompletableFuture<Void> g = p.consume(Context.EMPTY, batch(fine(2)));
    Thread shutdown =
        new Thread(
            () -> {
              try {
                p.shutdown(Deadline.in(Duration.ofSeconds(5)));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    shutdown.start();
    sink.awaitCalls(1, T);
    sink.failAll(new RetryableException("backend down"));
    shutdown.join(5_000);
    assertThat(shutdown.isAlive()).isFalse();
    assertThat(cause(f))
        .isInstanceOf(RetryableException.class)
        .hasMessage("backend down"); // not acknowledged
    g.get(5, TimeUnit.SECONDS); // not sampled: done
  }

  private static Context ctx(String... kv) {
    Map<String, List<String>> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1]));
    }
    return Context.of(m);
  }

  /** Spans per trace id over the given requests. */
  private static Map<ByteString, Integer> spansPerTrace(List<Traces> requests) {
    Map<ByteString, Integer> n = new java.util.HashMap<>();
    for (Traces t : requests) {
      for (ResourceSpans rs : t.message().getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            n.merge(s.getTraceId(), 1, Integer::sum);
          }
        }
      }
    }
    return n;
  }

  @Test
  void tracesSampledInOneTickGoDownstreamInOneRequestPerChunkOf64() throws Exception {
    start(1_000, false);
    int traces =
        300; // as many as overflowed the file exporter's queue when each trace was its own request
    List<CompletableFuture<Void>> upstream = new java.util.ArrayList<>();
    for (int i = 0;
        i < traces;
        i++) { // each trace in two batches, as two Kafka records would bring it
      upstream.add(proc.consume(ctx("kafka.offset", String.valueOf(2 * i)), batch(err(i))));
    }
    for (int i = 0; i < traces; i++) {
      upstream.add(proc.consume(ctx("kafka.offset", String.valueOf(2 * i + 1)), batch(fine(i))));
    }
    clock.advance(WAIT); // every trace comes due in the same tick
    sink.awaitItems(2L * traces, T);
    assertThat(sink.callCount()).isEqualTo((traces + 63) / 64);
    Map<ByteString, Integer> expected = new java.util.HashMap<>();
    for (int i = 0; i < traces; i++) {
      expected.put(traceId(i), 2);
    }
    assertThat(spansPerTrace(sink.data())).isEqualTo(expected);
    assertThat(sink.contexts())
        .containsOnly(Context.EMPTY); // the offsets differ: nothing in common
    for (CompletableFuture<Void> f : upstream) {
      assertThat(f).isNotDone(); // held by the downstream
    }
    sink.completeAll();
    CompletableFuture.allOf(upstream.toArray(new CompletableFuture<?>[0]))
        .get(T.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aFailedDownstreamRequestFailsExactlyTheBatchesWhoseTracesItCarried() throws Exception {
    start(1_000, false);
    int traces = 130; // chunks: traces 0-63, 64-127, 128-129
    List<CompletableFuture<Void>> single = new java.util.ArrayList<>();
    for (int i = 0; i < traces; i++) { // every tenth trace is not sampled
      single.add(proc.consume(Context.EMPTY, batch(i % 10 == 5 ? fine(i) : err(i))));
    }
    CompletableFuture<Void> spanning =
        proc.consume(Context.EMPTY, batch(fine(1), fine(100))); // chunks 1 and 2
    CompletableFuture<Void> notSampledOnly = proc.consume(Context.EMPTY, batch(fine(5), fine(105)));
    clock.advance(WAIT);
    sink.awaitCalls(3, T);
    sink.awaitItems(traces - traces / 10 + 2, T);
    RecordingSink.Call<Traces> second =
        sink.calls().stream()
            .filter(c -> spansPerTrace(List.of(c.data())).containsKey(traceId(100)))
            .findFirst()
            .orElseThrow();
    assertThat(spansPerTrace(List.of(second.data())).keySet())
        .hasSize(64 - 7); // 64-127 less the 7 not sampled
    second.future().completeExceptionally(new RetryableException("backend down"));
    sink.completeAll();
    for (int i = 0; i < traces; i++) {
      boolean carried = i >= 64 && i < 128 && i % 10 != 5;
      if (carried) {
        assertThat(cause(single.get(i)))
            .as("batch of trace %d", i)
            .isInstanceOf(RetryableException.class)
            .hasMessage("backend down");
      } else {
        single.get(i).get(T.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    assertThat(cause(spanning)).isInstanceOf(RetryableException.class).hasMessage("backend down");
    notSampledOnly.get(T.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void aMergedRequestKeepsTheMetadataItsTracesShareAndDropsTheRest() throws Exception {
    start(100, false);
    proc.consume(ctx("tenant", "a", "kafka.offset", "1"), batch(err(1)));
    proc.consume(ctx("tenant", "a", "kafka.offset", "2"), batch(fine(1), err(2)));
    proc.consume(ctx("tenant", "a", "kafka.offset", "3"), batch(err(3)));
    clock.advance(WAIT);
    sink.awaitItems(4, T);
    assertThat(sink.contexts()).containsExactly(ctx("tenant", "a"));
    proc.consume(ctx("tenant", "a", "kafka.topic", "spans"), batch(err(4)));
    proc.consume(ctx("tenant", "b", "kafka.topic", "spans"), batch(err(5)));
    clock.advance(WAIT);
    sink.awaitItems(6, T);
    assertThat(sink.contexts()).containsExactly(ctx("tenant", "a"), ctx("kafka.topic", "spans"));
    proc.consume(
        ctx("tenant", "c", "kafka.offset", "9"), batch(err(6))); // one trace, one batch: all of it
    clock.advance(WAIT);
    sink.awaitItems(7, T);
    assertThat(sink.contexts().get(2)).isEqualTo(ctx("tenant", "c", "kafka.offset", "9"));
  }

  @Test
  void commonKeepsEqualEntriesAndReturnsTheFirstContextWhenNothingDiffers() {
    Context a = ctx("tenant", "a", "x", "1");
    assertThat(TraceFragments.common(a, ctx("x", "1", "tenant", "a", "y", "2"))).isSameAs(a);
    assertThat(TraceFragments.common(a, ctx("tenant", "a", "x", "2")))
        .isEqualTo(ctx("tenant", "a"));
    assertThat(TraceFragments.common(a, Context.EMPTY)).isEqualTo(Context.EMPTY);
    assertThat(TraceFragments.common(Context.EMPTY, a)).isSameAs(Context.EMPTY);
  }

  @Test
  void groupPassesAResourceHoldingOneTraceThrough() {
    TracesData in = batch(err(1), fine(1)).message();
    Map<ByteString, List<ResourceSpans>> g = TraceFragments.group(in);
    assertThat(g.keySet()).containsExactly(traceId(1));
    assertThat(g.get(traceId(1))).containsExactly(in.getResourceSpans(0));
  }

  @Test
  void theSampledCacheForgetsTheLeastRecentlyUsedTraceId() throws Exception {
    start(
        new TailSamplingConfig(
            WAIT,
            100,
            0,
            new TailSamplingConfig.DecisionCache(2, 2),
            false,
            ERRORS_ONLY,
            Duration.ZERO,
            0,
            false,
            false));
    sink.hold(false);
    proc.consume(Context.EMPTY, batch(err(1), err(2)));
    clock.advance(WAIT);
    sink.awaitItems(2, T);
    proc.consume(Context.EMPTY, batch(fine(1)))
        .get(T.toMillis(), TimeUnit.MILLISECONDS); // a hit: trace 1 is now the most recent
    proc.consume(Context.EMPTY, batch(err(3)));
    clock.advance(WAIT); // trace 3 is remembered: trace 2, the least recently used, is forgotten
    sink.awaitItems(4, T);
    proc.consume(Context.EMPTY, batch(fine(1)))
        .get(T.toMillis(), TimeUnit.MILLISECONDS); // still remembered
    CompletableFuture<Void> forgotten = proc.consume(Context.EMPTY, batch(fine(2)));
    Thread.sleep(20);
    assertThat(forgotten).isNotDone(); // a new trace, waiting for its own decision
    String p = "otelcol_processor_tail_sampling_";
    assertThat(counter(p + "early_releases_from_cache_decision", "tail_sampling", "true"))
        .isEqualTo(2);
    assertThat(counter(p + "new_trace_id_received", "tail_sampling")).isEqualTo(4);
  }

  @Test
  void groupSplitsARequestPerTraceKeepingResourceAndScope() {
    Map<ByteString, List<ResourceSpans>> g =
        TraceFragments.group(batch(err(1), fine(2), fine(1)).message());
    assertThat(g.keySet()).containsExactly(traceId(1), traceId(2));
    assertThat(g.get(traceId(1))).hasSize(1);
    assertThat(g.get(traceId(1)).get(0).getScopeSpans(0).getSpansList())
        .containsExactly(err(1), fine(1));
  }

  @Test
  void groupMakesOneFragmentPerResourceAndTraceWithEveryScope() {
    ScopeSpans db =
        ScopeSpans.newBuilder()
            .setScope(
                io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("db"))
            .addSpans(err(1))
            .addSpans(fine(2))
            .build();
    ScopeSpans http =
        ScopeSpans.newBuilder()
            .setScope(
                io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("http"))
            .addSpans(fine(1))
            .build();
    ResourceSpans rs =
        ResourceSpans.newBuilder()
            .setSchemaUrl("s")
            .addScopeSpans(db)
            .addScopeSpans(ScopeSpans.getDefaultInstance())
            .addScopeSpans(http)
            .build();
    Map<ByteString, List<ResourceSpans>> g =
        TraceFragments.group(
            TracesData.newBuilder()
                .addResourceSpans(rs)
                .addResourceSpans(rs.toBuilder().setSchemaUrl("t"))
                .build());
    assertThat(g.get(traceId(1))).hasSize(2); // one per resource
    ResourceSpans one = g.get(traceId(1)).get(0);
    assertThat(one.getSchemaUrl()).isEqualTo("s");
    assertThat(one.getScopeSpansList())
        .extracting(ss -> ss.getScope().getName())
        .containsExactly("db", "http");
    assertThat(one.getScopeSpans(0).getSpansList()).containsExactly(err(1));
    assertThat(one.getScopeSpans(1).getSpansList()).containsExactly(fine(1));
    assertThat(g.get(traceId(2)).get(0).getScopeSpansList()).hasSize(1);
  }

  private static Throwable cause(CompletableFuture<Void> f) throws InterruptedException {
    try {
      f.get(T.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("future succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("future still pending", e);
    }
  }
}
