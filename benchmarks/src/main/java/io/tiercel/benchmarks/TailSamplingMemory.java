package io.tiercel.benchmarks;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Processor;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.processors.tailsampling.TailSamplingFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Heap held by tail_sampling per buffered span and per buffered trace.
 *
 * <p>Method: for each size N, the processor (the 5-policy config of {@link TailSamplingData},
 * decision_wait 1h, num_traces far above N, so nothing is decided) takes N spans as the processing
 * tier receives them: OTLP bytes per 480-span batch ({@code Traces.ofBytes}, parsed by the
 * processor), each trace split over two consecutive batches. The tool keeps no reference to the
 * batches, only to the processor and the batches' futures (which the processor also holds). Used
 * heap ({@link MemoryMXBean}) is read after five {@code System.gc()} calls (full collections with
 * G1) before and after; the difference divided by N is the retained bytes per span. The same bytes
 * parsed into {@code TracesData} messages and held in a list give the floor (the protobuf objects
 * alone), so the processor's own overhead is the difference. Finally the processor shuts down (the
 * undecided batches fail with a retryable error) and the heap must come back to the baseline.
 * "Beyond the wire" is the processor's heap per span minus the OTLP bytes per span it was given:
 * what holding a span costs on top of the request bytes it is a slice of (issue 14's bound: 300).
 *
 * <p>Usage: {@code TailSamplingMemory [spans ...]} (default 50000 500000); run with a fixed heap,
 * e.g. {@code JAVA_OPTS="-Xms3g -Xmx3g"}.
 */
public final class TailSamplingMemory {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private TailSamplingMemory() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Integer.parseInt(a));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(50_000, 500_000);
    }
    System.out.printf(
        Locale.ROOT,
        "JVM %s, max heap %d MiB, %s%n",
        System.getProperty("java.vm.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
    System.out.println(
        "| buffered spans | traces | OTLP bytes/span | parsed protobuf B/span | tail_sampling"
            + " B/span | tail_sampling B/span beyond the wire | tail_sampling B/trace | overhead"
            + " over protobuf | heap after shutdown |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int n : sizes) {
      System.out.println(measure(n).row());
    }
  }

  /**
   * One size's figures (bytes are retained heap).
   *
   * @param spans spans buffered
   * @param traces traces buffered (the processor's sampling_traces_on_memory)
   * @param wirePerSpan OTLP protobuf bytes per span as received
   * @param parsedPerSpan heap per span of the same batches parsed and held (the floor)
   * @param perSpan heap per span held by the processor
   * @param afterShutdown heap left over after the processor shut down, against the baseline
   */
  record Result(
      int spans,
      int traces,
      double wirePerSpan,
      double parsedPerSpan,
      double perSpan,
      long afterShutdown) {
    String row() {
      return String.format(
          Locale.ROOT,
          "| %,d | %,d | %.0f | %.0f | %.0f | %.0f | %,.0f | %.2fx | %+,d KiB |",
          spans,
          traces,
          wirePerSpan,
          parsedPerSpan,
          perSpan,
          perSpan - wirePerSpan,
          perSpan * spans / traces,
          perSpan / parsedPerSpan,
          afterShutdown >> 10);
    }
  }

  /**
   * Buffers about {@code spans} spans (whole 480-span batches) and measures; throws if any was
   * decided.
   */
  static Result measure(int spans) throws Exception {
    int batches = (spans + TailSamplingData.SPANS_PER_BATCH - 1) / TailSamplingData.SPANS_PER_BATCH;

    // The floor: the same batches parsed and held.
    long base = usedAfterGc();
    List<TracesData> held = new ArrayList<>(batches + 1);
    long[] wire = new long[1];
    int heldSpans =
        feed(
            batches,
            bytes -> {
              wire[0] += bytes.length;
              held.add(Traces.ofBytes(bytes).message());
            });
    long parsed = usedAfterGc() - base;
    if (TailSamplingData.spans(held.get(0)) == 0) {
      throw new IllegalStateException("empty batch");
    }
    held.clear();

    // The processor buffering the same batches.
    base = usedAfterGc();
    MetricsRegistry metrics = new MetricsRegistry();
    long[] delivered = new long[1];
    Map<String, Object> yaml = TailSamplingData.config("1h", 10_000_000);
    // Release the buffered traces undecided at shutdown (their batches fail retryably): the default
    // decides them.
    yaml.put("drop_pending_traces_on_shutdown", true);
    Processor<Traces> p =
        TailSamplingData.processor(
            yaml,
            TailSamplingFactory.DEFAULT_DECISION_TICK,
            Clock.systemUTC(),
            metrics,
            (ctx, d) -> {
              delivered[0] += TailSamplingData.spans(d.message());
              return TelemetryConsumer.done();
            });
    p.start(null);
    List<CompletableFuture<Void>> acks = new ArrayList<>(batches + 1);
    int buffered =
        feed(batches, bytes -> acks.add(p.consume(Context.EMPTY, Traces.ofBytes(bytes))));
    long retained = usedAfterGc() - base;
    double traces =
        metrics
            .gauge("otelcol_processor_tail_sampling_sampling_traces_on_memory", "", "processor")
            .labelValues("tail_sampling")
            .get();
    long decided = acks.stream().filter(CompletableFuture::isDone).count();
    if (buffered != heldSpans || delivered[0] != 0 || decided != 0) {
      throw new IllegalStateException(
          "expected "
              + heldSpans
              + " spans buffered and none decided, got "
              + buffered
              + " buffered, "
              + delivered[0]
              + " delivered, "
              + decided
              + " batches acknowledged");
    }
    p.shutdown(Deadline.in(Duration.ofSeconds(10)));
    // drop_pending_traces_on_shutdown (set above): every buffered batch fails retryably and the
    // buffer is released.
    long failed = acks.stream().filter(CompletableFuture::isCompletedExceptionally).count();
    if (failed != acks.size()) {
      throw new IllegalStateException(
          "after shutdown " + failed + " of " + acks.size() + " batches failed");
    }
    acks.clear();
    long after = usedAfterGc() - base;
    return new Result(
        buffered,
        (int) traces,
        (double) wire[0] / buffered,
        (double) parsed / buffered,
        (double) retained / buffered,
        after);
  }

  /**
   * Generates {@code batches} batches as OTLP bytes and hands each to {@code sink}; returns the
   * span count.
   */
  private static int feed(int batches, java.util.function.Consumer<byte[]> sink) throws Exception {
    TailSamplingData.Batches source = new TailSamplingData.Batches(1);
    int spans = 0;
    for (int k = 0; k <= batches; k++) {
      // the last message carries only the rest of the previous traces, so every trace is whole
      TracesData td =
          k < batches ? source.next(1_700_000_000_000_000_000L + k * 1_000_000L) : source.rest();
      spans += TailSamplingData.spans(td);
      sink.accept(td.toByteArray());
    }
    return spans;
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
