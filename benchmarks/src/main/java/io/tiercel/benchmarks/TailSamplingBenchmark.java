package io.tiercel.benchmarks;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Processor;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.processors.tailsampling.DecisionEngine;
import io.tiercel.processors.tailsampling.TailSamplingFactory;
import io.tiercel.processors.tailsampling.TraceView;
import io.tiercel.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * tail_sampling per span, built by its factory from the 5-policy YAML of {@link TailSamplingData}
 * (status_code ERROR, latency, probabilistic 10 %, string_attribute, drop of and-ed sub-policies),
 * on batches of 480 spans (32 traces of 15 spans, each trace split over two consecutive batches).
 * ns/op is per span everywhere.
 *
 * <ul>
 *   <li>{@code ingest}: consume into the buffer only (decision_wait 1h): group by trace id, buffer,
 *       account the batch. A fresh processor per iteration takes one pass over {@value #POOL}
 *       distinct batches (single shot, so the buffer never holds repeated trace ids).
 *   <li>{@code ingestAndDecide}: the whole per-span work on one thread in steady state: {@code
 *       num_traces} 2048 is full, so every new trace makes the oldest one be decided on the
 *       caller's thread (the same decide + deliver as on the tick) and its sampled spans are handed
 *       to a no-op next consumer.
 *   <li>{@code ingestAndDecideOnTicker}: the processor as it runs, with its own decision thread
 *       (tick 1 ms) and a {@link TestClock} moved 1 s per batch (decision_wait 10s); the benchmark
 *       thread waits for the acknowledgement of the batch sent 64 batches earlier (at most 2048
 *       traces buffered, like {@code ingestAndDecide}), so the decisions of every batch are inside
 *       the measurement (two threads on the machine's two cores).
 *   <li>{@code policiesOnly}: {@link DecisionEngine#decide} over the 32 whole traces of a batch:
 *       the policy evaluation that {@code sampling_decision_latency} times.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TailSamplingBenchmark {
  static final int SPANS = TailSamplingData.SPANS_PER_BATCH;

  /**
   * Distinct batches (8192 traces): more than the 2048 buffered, so a replayed trace id is always
   * new.
   */
  static final int POOL = 256;

  static final int IN_FLIGHT = 64;

  TracesData[] pool;

  /**
   * Spans the next consumer received: it counts every delivered request in the form it came
   * (parsed, or bytes walked on the wire), as the pipeline's item count does, without parsing or
   * serializing it.
   */
  final AtomicLong delivered = new AtomicLong();

  final TelemetryConsumer<Traces> sink =
      (ctx, d) -> {
        delivered.addAndGet(d.itemCount());
        return TelemetryConsumer.done();
      };
  int next;

  Processor<Traces> bounded;
  Processor<Traces> ticked;
  TestClock clock;
  CompletableFuture<?>[] acks;
  long batches;
  final CompletableFuture<?>[] boundedAcks = new CompletableFuture<?>[2 * IN_FLIGHT];
  long boundedBatches;
  DecisionEngine engine;
  List<TraceView[]> views;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    pool = new TailSamplingData.Batches(1).cycle(POOL, 1_700_000_000_000_000_000L);
    bounded =
        TailSamplingData.processor(
            TailSamplingData.config("1h", 2048),
            TailSamplingFactory.DEFAULT_DECISION_TICK,
            Clock.systemUTC(),
            new MetricsRegistry(),
            sink);
    bounded.start(null);
    clock = TestClock.create();
    ticked =
        TailSamplingData.processor(
            TailSamplingData.config("10s", 100_000),
            Duration.ofMillis(1),
            clock,
            new MetricsRegistry(),
            sink);
    ticked.start(null);
    acks = new CompletableFuture<?>[IN_FLIGHT];
    engine = TailSamplingData.engine();
    views = wholeTraces(pool);
  }

  /** The pool's whole traces in groups of a batch's 32. */
  private static List<TraceView[]> wholeTraces(TracesData[] pool) {
    List<TraceView> all = TailSamplingData.wholeTraces(pool);
    List<TraceView[]> out = new ArrayList<>();
    for (int i = 0;
        i + TailSamplingData.TRACES_PER_BATCH <= all.size();
        i += TailSamplingData.TRACES_PER_BATCH) {
      out.add(all.subList(i, i + TailSamplingData.TRACES_PER_BATCH).toArray(new TraceView[0]));
    }
    return out;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    bounded.shutdown(Deadline.in(Duration.ofSeconds(5)));
    ticked.shutdown(Deadline.in(Duration.ofSeconds(5)));
  }

  private TracesData nextBatch() {
    TracesData td = pool[next];
    next = (next + 1) % POOL;
    return td;
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public Object ingestAndDecide() {
    // a batch's traces are decided when the 64 batches after it push them out of the full buffer
    int slot = (int) (boundedBatches++ % boundedAcks.length);
    CompletableFuture<?> older = boundedAcks[slot];
    if (older != null && (!older.isDone() || older.isCompletedExceptionally())) {
      throw new IllegalStateException("a batch sent 128 batches ago is not acknowledged: " + older);
    }
    boundedAcks[slot] = bounded.consume(Context.EMPTY, Traces.of(nextBatch()));
    return older;
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public Object ingestAndDecideOnTicker() {
    int slot = (int) (batches++ % IN_FLIGHT);
    CompletableFuture<?> older = acks[slot];
    if (older != null) {
      older.join(); // the batch sent IN_FLIGHT batches ago: due since 54 clock seconds
    }
    acks[slot] = ticked.consume(Context.EMPTY, Traces.of(nextBatch()));
    clock.advance(Duration.ofSeconds(1));
    return older;
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public Object policiesOnly() {
    TraceView[] batch = views.get(next);
    next = (next + 1) % views.size();
    int sampled = 0;
    for (TraceView v : batch) {
      if (engine.decide(v).sampled()) {
        sampled++;
      }
    }
    return sampled;
  }

  /** A fresh processor per iteration, filled with one pass over the pool. */
  @State(Scope.Benchmark)
  public static class Fill {
    Processor<Traces> processor;
    int next;

    @Setup(Level.Iteration)
    public void setup() throws Exception {
      processor =
          TailSamplingData.processor(
              TailSamplingData.config("1h", 1_000_000),
              TailSamplingFactory.DEFAULT_DECISION_TICK,
              Clock.systemUTC(),
              new MetricsRegistry(),
              (ctx, d) -> TelemetryConsumer.done());
      processor.start(null);
      next = 0;
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
      processor.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 10, batchSize = POOL)
  @Measurement(iterations = 10, batchSize = POOL)
  @OperationsPerInvocation(
      SPANS * POOL) // single shot: JMH divides the batch's time by this, not by batchSize
  public Object ingest(Fill fill) {
    return fill.processor.consume(Context.EMPTY, Traces.of(pool[fill.next++]));
  }
}
