package io.tiercel.processors.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.testing.TestClock;
import io.tiercel.testing.TestData;
import io.tiercel.testing.process.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MemoryLimiterProcessorTest {
  private static final long MIB = 1 << 20;

  /** A heap whose readings the test sets; a forced GC leaves {@code retained} in use. */
  static final class FakeHeap implements HeapSource {
    long used;
    long retained;
    long collections;
    long after = -1;
    int forcedGcs;
    int starts;
    int stops;

    /**
     * The JVM's own collection: {@code survived} bytes left, then {@code used} again allocated on
     * top.
     */
    void jvmCollection(long survived) {
      collections++;
      after = survived;
    }

    @Override
    public long used() {
      return used;
    }

    @Override
    public long collections() {
      return collections;
    }

    @Override
    public long usedAfterLastCollection() {
      return after;
    }

    @Override
    public void gc() {
      forcedGcs++;
      used = retained;
    }

    @Override
    public void start() {
      starts++;
    }

    @Override
    public void stop() {
      stops++;
    }
  }

  private final TestClock clock = TestClock.create();
  private final MetricsRegistry metrics = new MetricsRegistry();
  private final FakeHeap heap = new FakeHeap();
  private final AtomicInteger passed = new AtomicInteger();
  private final MemoryLimiterProcessorFactory factory =
      new MemoryLimiterProcessorFactory(4096 * MIB, () -> heap);
  private final SharedComponents shared = SharedComponents.create(); // one service's

  static Traces spans(int n) {
    TracesData.Builder b = TracesData.newBuilder();
    var ss = b.addResourceSpansBuilder().addScopeSpansBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder().setName("s" + i));
    }
    return Traces.of(b.build());
  }

  /** Limits of the collector's shape: hard 1000 MiB, soft 800 MiB; GC intervals given. */
  private MemoryLimiterProcessor<Traces> processor(Duration minGcSoft, Duration minGcHard) {
    return processor(
        factory,
        "memory_limiter",
        new MemoryLimiterConfig(Duration.ofSeconds(1), 1000, 200, 0, 0, minGcSoft, minGcHard));
  }

  /** A traces processor of component {@code id} (one per pipeline naming it) from {@code f}. */
  private MemoryLimiterProcessor<Traces> processor(
      MemoryLimiterProcessorFactory f, String id, MemoryLimiterConfig cfg) {
    return processor(f, id, cfg, shared);
  }

  /** The same, built by the service whose shared state is {@code service}. */
  private MemoryLimiterProcessor<Traces> processor(
      MemoryLimiterProcessorFactory f,
      String id,
      MemoryLimiterConfig cfg,
      SharedComponents service) {
    var settings =
        new Settings(
            ComponentId.parse(id),
            Kind.PROCESSOR,
            Signal.TRACES,
            LoggerFactory.getLogger("io.tiercel.processor." + id),
            metrics,
            clock,
            BuildInfo.DEFAULT,
            service);
    return (MemoryLimiterProcessor<Traces>)
        f.createTraces(
            settings,
            cfg,
            (ctx, d) -> {
              passed.addAndGet(d.itemCount());
              return TelemetryConsumer.done();
            });
  }

  /** Heap used is {@code usedMib} now; one check. */
  private void check(MemoryLimiterProcessor<Traces> p, long usedMib) {
    heap.used = usedMib * MIB;
    p.check();
  }

  /**
   * Heap used is {@code usedMib} now, of which a forced GC would leave {@code retainedMib}; one
   * check.
   */
  private void check(MemoryLimiterProcessor<Traces> p, long usedMib, long retainedMib) {
    heap.retained = retainedMib * MIB;
    check(p, usedMib);
  }

  /**
   * A processor (default intervals) checked once after a JVM collection left {@code survivedMib}.
   */
  private MemoryLimiterProcessor<Traces> checkedAfterACollection(long survivedMib, long usedMib) {
    var p = processor();
    heap.jvmCollection(survivedMib * MIB);
    check(p, usedMib);
    return p;
  }

  private MemoryLimiterProcessor<Traces> processor() {
    return processor(Duration.ofSeconds(10), Duration.ZERO);
  }

  @Test
  void garbageAboveTheSoftLimitIsNotRefusedAndForcesNoGc() throws Exception {
    var p = processor();
    for (int i = 0; i < 30; i++) {
      heap.jvmCollection(300 * MIB); // the JVM collects now and then: 300 MiB survive
      heap.used =
          (810 + i * 6) * MIB; // garbage piles up above the soft limit (800), below the hard (1000)
      p.check();
      assertThat(p.limited()).as("check %d", i).isFalse();
      clock.advance(Duration.ofSeconds(1));
      p.check(); // no collection since the last check: the last one is still recent (< 10 s)
      assertThat(p.limited()).as("check %d without a new collection", i).isFalse();
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(heap.forcedGcs).isZero();
    p.consume(Context.EMPTY, spans(3)).get();
    assertThat(passed).hasValue(3);
  }

  @Test
  void retainedGrowthIsRefusedAndGcsKeepToTheSoftInterval() {
    var p = checkedAfterACollection(300, 700);
    assertThat(p.limited()).isFalse();

    // A backend outage: queues fill, and what they hold survives the JVM's collections.
    clock.advance(Duration.ofSeconds(1));
    heap.jvmCollection(820 * MIB);
    check(p, 900, 820);
    assertThat(p.limited()).as("the collection left 820 MiB > 800").isTrue();
    assertThat(heap.forcedGcs).as("one forced GC confirms it").isEqualTo(1);
    assertThatThrownBy(() -> p.consume(Context.EMPTY, spans(5)).get())
        .cause()
        .isInstanceOf(RetryableException.class)
        .hasMessage(
            "data refused due to high memory usage (processor memory_limiter, soft limit 800 MiB)");

    // The queues drain, but the old generation still holds the dead data: the JVM's young
    // collections keep
    // reporting it until the next forced GC, 10 s after the last.
    for (int s = 1; s < 10; s++) {
      clock.advance(Duration.ofSeconds(1));
      heap.jvmCollection(850 * MIB);
      check(p, 900, 200);
      assertThat(p.limited()).as("second %d", s).isTrue();
    }
    assertThat(heap.forcedGcs).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    check(p, 900);
    assertThat(heap.forcedGcs).isEqualTo(2);
    assertThat(p.limited()).isFalse();
    assertThat(passed).hasValue(0);
  }

  @Test
  void aStaleMeasurementIsRefreshedByAForcedGc() {
    var p = checkedAfterACollection(300, 500);
    // No collection for 10 s while the heap grew past the soft limit: the 300 MiB may no longer be
    // true.
    clock.advance(Duration.ofSeconds(10));
    check(p, 900, 850);
    assertThat(heap.forcedGcs).isEqualTo(1);
    assertThat(p.limited()).isTrue();
  }

  @Test
  void noCollectionSeenYetForcesOneAboveTheSoftLimit() {
    var p = processor();
    check(p, 900, 100);
    assertThat(heap.forcedGcs).isEqualTo(1);
    assertThat(p.limited()).isFalse();
  }

  @Test
  void belowTheSoftLimitNothingHappens() {
    var p = processor(Duration.ZERO, Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      check(p, 800);
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(heap.forcedGcs).isZero();
    assertThat(p.limited()).isFalse();
  }

  @Test
  void aboveTheHardLimitAGcIsForcedWithinItsInterval() {
    var p = processor(Duration.ofSeconds(10), Duration.ofSeconds(5));
    heap.jvmCollection(300 * MIB);
    heap.used = 1100 * MIB; // a recent small after-GC value does not excuse the hard limit
    heap.retained = 300 * MIB;
    p.check();
    assertThat(heap.forcedGcs).isEqualTo(1);
    assertThat(p.limited()).isFalse();

    clock.advance(Duration.ofSeconds(1));
    check(p, 1100);
    assertThat(heap.forcedGcs)
        .as("min_gc_interval_when_hard_limited (5 s) not passed")
        .isEqualTo(1);
    assertThat(p.limited())
        .as("above the hard limit without a GC: refuse, as the collector does")
        .isTrue();

    clock.advance(Duration.ofSeconds(4));
    p.check();
    assertThat(heap.forcedGcs).isEqualTo(2);
    assertThat(p.limited()).isFalse();
  }

  @Test
  void zeroHardIntervalForcesAGcOnEveryCheckAboveTheHardLimit() {
    var p = processor();
    heap.retained = 1050 * MIB; // really retained: GC does not help
    for (int i = 0; i < 3; i++) {
      check(p, 1100);
      assertThat(p.limited()).isTrue();
    }
    assertThat(heap.forcedGcs).isEqualTo(3);
    heap.retained = 400 * MIB;
    check(p, 1100);
    assertThat(heap.forcedGcs).isEqualTo(4);
    assertThat(p.limited()).isFalse();
  }

  @Test
  void zeroSoftIntervalForcesAGcOnEveryCheckAboveTheSoftLimit() {
    var p = processor(Duration.ZERO, Duration.ZERO);
    heap.jvmCollection(300 * MIB);
    heap.retained = 300 * MIB;
    for (int i = 0; i < 3; i++) {
      check(p, 900);
    }
    assertThat(heap.forcedGcs)
        .as("a collection is recent only within min_gc_interval_when_soft_limited")
        .isEqualTo(3);
    assertThat(p.limited()).isFalse();
  }

  @Test
  void pipelinesAndSignalsNamingOneIdShareOneLimiter() throws Exception {
    AtomicInteger heapsCreated = new AtomicInteger();
    var f =
        new MemoryLimiterProcessorFactory(
            4096 * MIB,
            () -> {
              heapsCreated.incrementAndGet();
              return heap;
            });
    var cfg =
        new MemoryLimiterConfig(
            Duration.ofSeconds(1), 1000, 200, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    var tracesA = processor(f, "memory_limiter", cfg); // two traces pipelines
    var tracesB = processor(f, "memory_limiter", cfg);
    var logs =
        (MemoryLimiterProcessor<Logs>)
            f.createLogs(
                new Settings(
                    ComponentId.of("memory_limiter"),
                    Kind.PROCESSOR,
                    Signal.LOGS,
                    LoggerFactory.getLogger("io.tiercel.processor.memory_limiter"),
                    metrics,
                    clock,
                    BuildInfo.DEFAULT,
                    shared),
                cfg,
                (ctx, d) -> TelemetryConsumer.done());
    assertThat(tracesB.limiter()).isSameAs(tracesA.limiter());
    assertThat(logs.limiter()).isSameAs(tracesA.limiter());
    assertThat(heapsCreated).hasValue(1);

    check(tracesA, 900, 850); // no collection seen yet: one forced GC, which leaves 850 MiB > 800
    assertThat(heap.forcedGcs).isEqualTo(1);
    assertThat(tracesB.limited()).isTrue();
    assertThat(logs.limited()).isTrue();
    assertThatThrownBy(() -> tracesB.consume(Context.EMPTY, spans(4)).get())
        .cause()
        .isInstanceOf(RetryableException.class)
        .hasMessage(
            "data refused due to high memory usage (processor memory_limiter, soft limit 800 MiB)");
    assertThatThrownBy(() -> logs.consume(Context.EMPTY, TestData.logs(3, 1)).get())
        .cause()
        .isInstanceOf(RetryableException.class);

    // Within the shared min_gc_interval_when_soft_limited, a check from any of them forces no
    // second GC.
    clock.advance(Duration.ofSeconds(5));
    tracesB.check();
    logs.check();
    assertThat(heap.forcedGcs).as("one forced GC per interval, not one per pipeline").isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    check(tracesB, 900, 300);
    assertThat(heap.forcedGcs).isEqualTo(2);
    assertThat(tracesA.limited()).isFalse();
    assertThat(logs.limited()).isFalse();
    tracesA.consume(Context.EMPTY, spans(2)).get();
    assertThat(passed).hasValue(2);
    // Each processor keeps its own refusal counter, labelled with the component id.
    assertThat(refused("otelcol_processor_refused_spans")).isEqualTo(4);
    assertThat(refused("otelcol_processor_refused_log_records")).isEqualTo(3);
  }

  @Test
  void differentIdsAreIndependent() {
    var heaps = new ArrayList<FakeHeap>();
    var f =
        new MemoryLimiterProcessorFactory(
            4096 * MIB,
            () -> {
              var h = new FakeHeap();
              heaps.add(h);
              return h;
            });
    var cfg =
        new MemoryLimiterConfig(
            Duration.ofSeconds(1), 1000, 200, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    var first = processor(f, "memory_limiter", cfg);
    var second = processor(f, "memory_limiter/2", cfg);
    assertThat(second.limiter()).isNotSameAs(first.limiter());
    assertThat(heaps).hasSize(2);

    heaps.get(0).used = 900 * MIB;
    heaps.get(0).retained = 850 * MIB;
    first.check();
    heaps.get(1).used = 900 * MIB;
    heaps.get(1).retained = 100 * MIB;
    second.check();
    assertThat(first.limited()).isTrue();
    assertThat(second.limited()).isFalse();
    assertThat(heaps.get(0).forcedGcs).isEqualTo(1);
    assertThat(heaps.get(1).forcedGcs).as("its own interval, not the first one's").isEqualTo(1);
  }

  /**
   * A heap that is always nearly empty and counts the checker's readings (the checker thread reads
   * it).
   */
  static final class CountingHeap implements HeapSource {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();

    @Override
    public long used() {
      reads.incrementAndGet();
      return MIB;
    }

    @Override
    public long collections() {
      return 0;
    }

    @Override
    public long usedAfterLastCollection() {
      return -1;
    }

    @Override
    public void gc() {}

    @Override
    public void start() {
      starts.incrementAndGet();
    }

    @Override
    public void stop() {
      stops.incrementAndGet();
    }
  }

  @Test
  void theSharedCheckerRunsFromTheFirstStartToTheLastShutdown() {
    var counting = new CountingHeap();
    var f = new MemoryLimiterProcessorFactory(4096 * MIB, () -> counting);
    var cfg =
        new MemoryLimiterConfig(
            Duration.ofMillis(10), 1000, 200, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    var a = processor(f, "memory_limiter", cfg);
    var b = processor(f, "memory_limiter", cfg);
    var limiter = a.limiter();
    assertThat(limiter.running()).as("constructors start nothing").isFalse();

    a.start(null);
    b.start(null);
    b.start(null); // a second start of one processor takes no second reference
    assertThat(limiter.running()).isTrue();
    assertThat(counting.starts).hasValue(1);

    a.shutdown(Deadline.in(Duration.ofSeconds(5)));
    a.shutdown(Deadline.in(Duration.ofSeconds(5))); // idempotent: does not release b's reference
    assertThat(limiter.running()).as("b still uses it").isTrue();
    assertThat(counting.stops).hasValue(0);
    int seen = counting.reads.get();
    Await.until(
        "a check after a's shutdown", Duration.ofMinutes(1), counting.reads::get, n -> n > seen);

    b.shutdown(Deadline.in(Duration.ofSeconds(5)));
    assertThat(limiter.running()).isFalse();
    assertThat(counting.stops).hasValue(1);
    b.shutdown(Deadline.in(Duration.ofSeconds(5)));
    assertThat(counting.stops).hasValue(1);

    // The service restarted: the same processors start again, and one created now shares their
    // limiter.
    a.start(null);
    var c = processor(f, "memory_limiter", cfg);
    assertThat(c.limiter()).isSameAs(limiter);
    c.start(null);
    assertThat(limiter.running()).isTrue();
    assertThat(counting.starts).hasValue(2);
    int again = counting.reads.get();
    Await.until(
        "a check after the restart", Duration.ofMinutes(1), counting.reads::get, n -> n > again);
    a.shutdown(Deadline.in(Duration.ofSeconds(5)));
    c.shutdown(Deadline.in(Duration.ofSeconds(5)));
    assertThat(limiter.running()).isFalse();
    assertThat(counting.stops).hasValue(2);

    // A new build (a new service, with shared state of its own) gets a fresh limiter, which works.
    var d = processor(f, "memory_limiter", cfg, SharedComponents.create());
    assertThat(d.limiter()).isNotSameAs(limiter);
    d.start(null);
    assertThat(d.limiter().running()).isTrue();
    d.shutdown(Deadline.in(Duration.ofSeconds(5)));
    assertThat(d.limiter().running()).isFalse();
  }

  private long refused(String name) {
    long total = 0;
    for (var snap : metrics.prometheus().scrape()) {
      if (snap.getMetadata().getName().equals(name) && snap instanceof CounterSnapshot c) {
        for (var p : c.getDataPoints()) {
          assertThat(p.getLabels().get("processor")).isEqualTo("memory_limiter");
          total += Math.round(p.getValue());
        }
      }
    }
    return total;
  }

  @Test
  void limitsFromPercentagesOfTheMaxHeap() {
    var cfg =
        new MemoryLimiterConfig(
            Duration.ofSeconds(1), 0, 0, 80, 25, Duration.ofSeconds(10), Duration.ZERO);
    assertThat(cfg.hardLimitBytes(1000 * MIB)).isEqualTo(800 * MIB);
    assertThat(cfg.softLimitBytes(1000 * MIB)).isEqualTo(550 * MIB);
    var noSpike =
        new MemoryLimiterConfig(
            Duration.ofSeconds(1), 500, 0, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    assertThat(noSpike.softLimitBytes(1000 * MIB)).isEqualTo(400 * MIB);
  }

  @Test
  void validationNamesTheKey() {
    assertThatThrownBy(() -> MemoryLimiterConfig.DEFAULT.validate())
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("must be greater than zero")
        .extracting(e -> ((InvalidValueException) e).key())
        .isEqualTo("check_interval");
    var noLimit =
        new MemoryLimiterConfig(
            Duration.ofSeconds(1), 0, 0, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    assertThatThrownBy(noLimit::validate)
        .hasMessage("one of limit_mib or limit_percentage must be set");
    var spikeTooBig =
        new MemoryLimiterConfig(
            Duration.ofSeconds(1), 100, 100, 0, 0, Duration.ZERO, Duration.ZERO);
    assertThatThrownBy(spikeTooBig::validate)
        .hasMessage("must be smaller than limit_mib (100), got 100");
    assertThatThrownBy(
            () ->
                new MemoryLimiterConfig(
                    Duration.ofSeconds(1), 0, 0, 101, 0, Duration.ZERO, Duration.ZERO))
        .hasMessage("must be between 0 and 100, got 101");
  }
}
