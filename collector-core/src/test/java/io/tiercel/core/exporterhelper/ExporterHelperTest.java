package io.tiercel.core.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExporterHelperTest {
  private static final RetryConfig FAST_RETRY =
      new RetryConfig(
          true, Duration.ofMillis(5), 0.5, 1.5, Duration.ofMillis(20), Duration.ofSeconds(10));
  private final Settings settings =
      Settings.forTest(Kind.EXPORTER, ComponentId.parse("test/x"), Signal.TRACES);
  private final List<ExporterHelper<Traces>> helpers = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (ExporterHelper<Traces> h : helpers) {
      h.shutdown(Deadline.in(Duration.ofMillis(100)));
    }
  }

  static Traces spans(int n) {
    TracesData.Builder b = TracesData.newBuilder();
    var ss = b.addResourceSpansBuilder().addScopeSpansBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder().setName("s" + i));
    }
    return Traces.of(b.build());
  }

  private ExporterHelper<Traces> helper(
      Duration timeout, RetryConfig retry, QueueConfig queue, Sender<Traces> s) {
    ExporterHelper<Traces> h = new ExporterHelper<>(settings, timeout, retry, queue, s);
    h.start();
    helpers.add(h);
    return h;
  }

  private double counter(String name) {
    for (MetricSnapshot m : settings.metrics().prometheus().scrape()) {
      if (m.getMetadata().getName().equals(name) && m instanceof CounterSnapshot c) {
        return c.getDataPoints().stream()
            .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
            .sum();
      }
    }
    return -1;
  }

  @Test
  void retriesRetryableFailuresUntilSuccess() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            QueueConfig.disabled(),
            (ctx, d) ->
                attempts.incrementAndGet() <= 3
                    ? CompletableFuture.failedFuture(new RetryableException("backend down"))
                    : CompletableFuture.completedFuture(null));
    h.consume(Context.EMPTY, spans(7)).get(5, TimeUnit.SECONDS);
    assertThat(attempts).hasValue(4);
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(7);
    assertThat(counter("otelcol_exporter_send_failed_spans")).isZero();
  }

  @Test
  void permanentFailuresAreNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            QueueConfig.disabled(),
            (ctx, d) -> {
              attempts.incrementAndGet();
              return CompletableFuture.failedFuture(new PermanentException("400 bad request"));
            });
    assertThatThrownBy(() -> h.consume(Context.EMPTY, spans(3)).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage("400 bad request");
    assertThat(attempts).hasValue(1);
    assertThat(counter("otelcol_exporter_send_failed_spans")).isEqualTo(3);
  }

  @Test
  void givesUpAfterMaxElapsedTimeWithARetryableError() {
    // 5 ms apart for 1 s: at most 201 attempts, and at least 2 even when a busy machine delays the
    // first one
    RetryConfig shortRetry =
        new RetryConfig(
            true, Duration.ofMillis(5), 0, 1, Duration.ofMillis(5), Duration.ofSeconds(1));
    AtomicInteger attempts = new AtomicInteger();
    var h =
        helper(
            Duration.ZERO,
            shortRetry,
            QueueConfig.disabled(),
            (ctx, d) -> {
              attempts.incrementAndGet();
              return CompletableFuture.failedFuture(new RetryableException("still down"));
            });
    assertThatThrownBy(() -> h.consume(Context.EMPTY, spans(1)).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RetryableException.class)
        .hasMessageStartingWith("no more retries left after ")
        .hasMessageEndingWith(": still down");
    assertThat(attempts.get()).isBetween(2, 201);
  }

  @Test
  void fullQueueRefusesWithRetryableErrorAndCounts() throws Exception {
    List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            new QueueConfig(true, 1, 2, Sizer.REQUESTS, false, true, null),
            (ctx, d) -> {
              CompletableFuture<Void> f = new CompletableFuture<>();
              held.add(f);
              return f;
            });
    var first = h.consume(Context.EMPTY, spans(1)); // dispatched: in flight
    var second = h.consume(Context.EMPTY, spans(1)); // queued
    var third = h.consume(Context.EMPTY, spans(1)); // queued
    var fourth = h.consume(Context.EMPTY, spans(5)); // refused
    assertThat(held).hasSize(1);
    assertThat(h.queueSize()).isEqualTo(2);
    assertThatThrownBy(() -> fourth.get(1, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RetryableException.class)
        .hasMessage("sending queue of exporter test/x is full (queue_size 2)");
    assertThat(counter("otelcol_exporter_enqueue_failed_spans")).isEqualTo(5);
    held.get(0).complete(null);
    first.get(1, TimeUnit.SECONDS);
    awaitSize(held, 2);
    held.get(1).complete(null);
    awaitSize(held, 3);
    held.get(2).complete(null);
    CompletableFuture.allOf(second, third).get(1, TimeUnit.SECONDS);
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(3);
  }

  @Test
  void waitForResultFalseAcknowledgesOnEnqueue() throws Exception {
    CompletableFuture<Void> backend = new CompletableFuture<>();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            new QueueConfig(true, 2, 10, Sizer.REQUESTS, false, false, null),
            (ctx, d) -> backend);
    h.consume(Context.EMPTY, spans(2)).get(1, TimeUnit.SECONDS);
    assertThat(counter("otelcol_exporter_sent_spans")).isZero();
    backend.complete(null);
  }

  @Test
  void blockOnOverflowHoldsTheRequestUntilSpaceFrees() throws Exception {
    List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            new QueueConfig(true, 1, 1, Sizer.REQUESTS, true, false, null),
            (ctx, d) -> {
              CompletableFuture<Void> f = new CompletableFuture<>();
              held.add(f);
              return f;
            });
    h.consume(Context.EMPTY, spans(1)).get(1, TimeUnit.SECONDS); // in flight
    h.consume(Context.EMPTY, spans(1)).get(1, TimeUnit.SECONDS); // queued
    var third = h.consume(Context.EMPTY, spans(1)); // blocked
    assertThat(third).isNotDone();
    held.get(0)
        .complete(
            null); // frees the consumer: the queued one is dispatched, the blocked one enqueued
    third.get(1, TimeUnit.SECONDS);
    assertThat(counter("otelcol_exporter_enqueue_failed_spans")).isZero();
  }

  @Test
  void itemsSizerRefusesARequestLargerThanTheQueue() {
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            new QueueConfig(true, 1, 10, Sizer.ITEMS, false, false, null),
            (ctx, d) -> CompletableFuture.completedFuture(null));
    assertThatThrownBy(() -> h.consume(Context.EMPTY, spans(11)).get(1, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage(
            "request of 11 items is larger than the sending queue (queue_size 10) of exporter"
                + " test/x");
  }

  @Test
  void attemptTimeoutIsRetryable() {
    var h =
        helper(
            Duration.ofMillis(30),
            RetryConfig.disabled(),
            QueueConfig.disabled(),
            (ctx, d) -> new CompletableFuture<>());
    assertThatThrownBy(() -> h.consume(Context.EMPTY, spans(1)).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RetryableException.class)
        .hasMessage("export attempt timed out after PT0.03S");
  }

  @Test
  void throttleDelayIsHonoured() throws Exception {
    List<Long> times = new CopyOnWriteArrayList<>();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            QueueConfig.disabled(),
            (ctx, d) -> {
              times.add(System.nanoTime());
              return times.size() == 1
                  ? CompletableFuture.failedFuture(
                      new RetryableException("429", null, Duration.ofMillis(200)))
                  : CompletableFuture.completedFuture(null);
            });
    h.consume(Context.EMPTY, spans(1)).get(5, TimeUnit.SECONDS);
    assertThat(times).hasSize(2);
    assertThat(times.get(1) - times.get(0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
  }

  @Test
  void neverMoreSendsInFlightThanConsumers() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            new QueueConfig(true, 3, 100, Sizer.REQUESTS, false, true, null),
            (ctx, d) -> {
              max.accumulateAndGet(now.incrementAndGet(), Math::max);
              CompletableFuture<Void> f = new CompletableFuture<>();
              held.add(f);
              return f.whenComplete((v, e) -> now.decrementAndGet());
            });
    List<CompletableFuture<Void>> results = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      results.add(h.consume(Context.EMPTY, spans(1)));
    }
    for (int done = 0; done < 20; done++) {
      awaitSize(held, done + 1);
      held.get(done).complete(null);
    }
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(max.get()).isEqualTo(3);
  }

  @Test
  void shutdownDrainsTheQueueThenFailsWhatIsLeft() throws Exception {
    var ok =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            new QueueConfig(true, 1, 100, Sizer.REQUESTS, false, true, null),
            (ctx, d) ->
                CompletableFuture.supplyAsync(
                    () -> null, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS)));
    List<CompletableFuture<Void>> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      results.add(ok.consume(Context.EMPTY, spans(1)));
    }
    ok.shutdown(Deadline.in(Duration.ofSeconds(5)));
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(1, TimeUnit.SECONDS);

    var stuck =
        new ExporterHelper<Traces>(
            Settings.forTest(Kind.EXPORTER, ComponentId.parse("test/stuck"), Signal.TRACES),
            Duration.ZERO,
            FAST_RETRY,
            new QueueConfig(true, 1, 100, Sizer.REQUESTS, false, true, null),
            (ctx, d) -> CompletableFuture.failedFuture(new RetryableException("down")));
    stuck.start();
    var r1 = stuck.consume(Context.EMPTY, spans(1));
    var r2 = stuck.consume(Context.EMPTY, spans(1));
    long t0 = System.nanoTime();
    stuck.shutdown(Deadline.in(Duration.ofMillis(300)));
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(3).toNanos());
    assertThatThrownBy(() -> r1.get(1, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RetryableException.class);
    assertThatThrownBy(() -> r2.get(1, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RetryableException.class);
    assertThatThrownBy(() -> stuck.consume(Context.EMPTY, spans(1)).get())
        .cause()
        .hasMessage("exporter test/stuck is not running");
    stuck.shutdown(Deadline.in(Duration.ofMillis(10))); // idempotent
  }

  @Test
  void backoffGrowsToTheMaxWithJitterBounds() {
    RetryConfig cfg =
        new RetryConfig(
            true, Duration.ofSeconds(5), 0.5, 1.5, Duration.ofSeconds(30), Duration.ZERO);
    Backoff low = new Backoff(cfg, () -> 0.0, 0);
    Backoff high = new Backoff(cfg, () -> 0.999999, 0);
    assertThat(low.next(0, null)).isEqualTo(Duration.ofMillis(2500));
    assertThat(high.next(0, null).toMillis()).isEqualTo(7499);
    assertThat(low.next(0, null)).isEqualTo(Duration.ofMillis(3750));
    for (int i = 0; i < 20; i++) {
      low.next(Long.MAX_VALUE / 2, null); // max_elapsed_time 0: never gives up
    }
    assertThat(low.next(0, null)).isEqualTo(Duration.ofSeconds(15));
    assertThat(low.next(0, Duration.ofSeconds(40))).isEqualTo(Duration.ofSeconds(40));
  }

  private static void awaitSize(List<?> list, int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (list.size() < n && System.nanoTime() < end) {
      Thread.sleep(2);
    }
    assertThat(list).hasSizeGreaterThanOrEqualTo(n);
  }

  /** The spans of {@code d} from index {@code from} on, as the part a sender reports failed. */
  static Traces tail(Traces d, int from) {
    var all = d.message().getResourceSpans(0).getScopeSpans(0).getSpansList();
    TracesData.Builder b = TracesData.newBuilder();
    b.addResourceSpansBuilder().addScopeSpansBuilder().addAllSpans(all.subList(from, all.size()));
    return Traces.of(b.build());
  }

  @Test
  void aPartialFailureIsRetriedWithExactlyTheFailedPart() throws Exception {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            QueueConfig.disabled(),
            (ctx, d) -> {
              attempts.add(d.itemCount());
              return switch (attempts.size()) {
                case 1 ->
                    CompletableFuture.failedFuture(
                        new RetryableException("4 of 10 failed", null, null, tail(d, 6)));
                case 2 ->
                    CompletableFuture.failedFuture(
                        new RetryableException("1 of 4 failed", null, null, tail(d, 3)));
                default -> CompletableFuture.completedFuture(null);
              };
            });
    h.consume(Context.EMPTY, spans(10)).get(5, TimeUnit.SECONDS);
    assertThat(attempts).containsExactly(10, 4, 1);
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(10);
    assertThat(counter("otelcol_exporter_send_failed_spans")).isZero();
  }

  @Test
  void aRequestThatFinallyFailsCarriesWhatWasLeftAndCountsOnlyThat() {
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            QueueConfig.disabled(),
            (ctx, d) ->
                d.itemCount() == 10
                    ? CompletableFuture.failedFuture(
                        new RetryableException("3 of 10 failed", null, null, tail(d, 7)))
                    : CompletableFuture.failedFuture(new PermanentException("refused")));
    CompletableFuture<Void> f = h.consume(Context.EMPTY, spans(10));
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage("refused")
        .satisfies(
            e ->
                assertThat(((PermanentException) e).failed())
                    .hasValueSatisfying(p -> assertThat(p.itemCount()).isEqualTo(3)));
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(7);
    assertThat(counter("otelcol_exporter_send_failed_spans")).isEqualTo(3);
  }

  @Test
  void itemsRefusedForGoodBesideARetryablePartEndThePermanentlyOnceTheRestIsThrough()
      throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            QueueConfig.disabled(),
            (ctx, d) -> {
              if (attempts.incrementAndGet() > 1) {
                return CompletableFuture.completedFuture(null);
              }
              RetryableException r = new RetryableException("2 retryable", null, null, tail(d, 3));
              r.addSuppressed(new PermanentException("1 too large"));
              return CompletableFuture.failedFuture(r);
            });
    CompletableFuture<Void> f = h.consume(Context.EMPTY, spans(5));
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(PermanentException.class)
        .hasMessage("1 too large");
    assertThat(attempts).hasValue(2);
  }

  @Test
  void aCarriedPartThatIsNotPartOfTheDataMeansAllOfItFailed() throws Exception {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    var h =
        helper(
            Duration.ZERO,
            FAST_RETRY,
            QueueConfig.disabled(),
            (ctx, d) -> {
              attempts.add(d.itemCount());
              return attempts.size() == 1
                  ? CompletableFuture.failedFuture(
                      new RetryableException("odd", null, null, spans(9)))
                  : CompletableFuture.completedFuture(null);
            });
    h.consume(Context.EMPTY, spans(3)).get(5, TimeUnit.SECONDS);
    assertThat(attempts).containsExactly(3, 3);
    assertThat(counter("otelcol_exporter_sent_spans")).isEqualTo(3);
  }
}
