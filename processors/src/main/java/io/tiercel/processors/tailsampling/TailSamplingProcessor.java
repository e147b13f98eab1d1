package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.CompletionGroup;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.processors.ottl.Errors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Buffers spans per trace id and decides each trace {@code decision_wait} after its first span, on
 * one decision thread that wakes every {@code tick}; sampled traces go downstream, the others are
 * dropped and counted. The sampled traces of each decided chunk (up to 64 traces) go downstream
 * together as one request, whose context is the metadata common to the batches that brought their
 * spans (the collector strips the context altogether).
 *
 * <p>Acknowledgement: the future of an incoming batch completes only when every trace it touched
 * was decided and, for sampled traces, the downstream accepted the spans; it fails with the
 * downstream's error. At shutdown the buffered traces are decided with the spans they have (the
 * collector's default), or, with {@code drop_pending_traces_on_shutdown}, their batches fail with a
 * retryable error, so a Kafka receiver re-reads them.
 *
 * <p>Memory: a buffered trace holds its fragments serialized (serialized once as they arrive, on
 * the caller's thread, and parsed again for the policies), and the sampled ones go downstream as
 * those bytes, joined; at most {@code num_traces} traces are buffered; a new trace past the bound
 * makes the oldest one be decided early (or, with {@code block_on_overflow}, the batch is refused
 * with a retryable error: the collector would block the caller, which {@code consume} must never
 * do; the upstream redelivers). A trace whose protobuf size passes {@code maximum_trace_size_bytes}
 * is not sampled at once. Decisions are remembered in two bounded least-recently-used sets (the
 * collector's decision caches) so late spans follow them.
 *
 * <p>Timing: a trace is due {@code decision_wait} after its first span, or, with {@code
 * decision_wait_after_root_received}, that long after its root span when that is sooner.
 *
 * <p>Threads: {@code consume} never blocks on a decision: it takes one short lock to buffer its
 * spans. Due traces are taken out of the buffer under that lock and marked as being decided; the
 * policies run outside it (under a lock of their own, one trace at a time, since policies keep
 * state), on the decision thread (or the caller's thread for an early decision at {@code
 * num_traces}, only for the traces its batch evicted). Spans arriving for a trace while it is being
 * decided are added to it: they are delivered with it if it is sampled, dropped with it otherwise,
 * and counted as released by the decision (as a cache hit would be). Downstream calls happen
 * outside both locks.
 */
final class TailSamplingProcessor implements Processor<Traces> {
  private final Settings settings;
  private final TailSamplingConfig cfg;
  private final TelemetryConsumer<Traces> next;
  private final DecisionEngine engine;
  private final long waitMillis;
  private final long afterRootMillis; // 0 = off
  private final long maxTraceBytes; // 0 = no limit
  private final long tickNanos;

  private final Object lock = new Object();
  // @GuardedBy("lock"): insertion order = order of first arrival, so the head is the oldest trace.
  private final LinkedHashMap<ByteString, Pending> buffer = new LinkedHashMap<>();
  // @GuardedBy("lock"): traces made due sooner by their root span; an entry is stale once its trace
  // left the buffer.
  private final PriorityQueue<Early> early = new PriorityQueue<>();
  // @GuardedBy("lock"): when each trace decided early at num_traces would have been due (see
  // tooEarly).
  private final PriorityQueue<Long> evictedDue = new PriorityQueue<>();
  // @GuardedBy("lock"): traces taken out of the buffer whose policies are being evaluated outside
  // the lock.
  private final HashMap<ByteString, Pending> deciding = new HashMap<>();
  private long nextSeq; // @GuardedBy("lock")
  // Serializes policy evaluation (policies keep state), per trace; never taken while holding
  // "lock". Fair, so a
  // receiver thread deciding the traces its batch evicted waits for one trace's evaluation, not a
  // whole round.
  private final ReentrantLock evalLock = new ReentrantLock(true);
  private final Lru sampledCache; // @GuardedBy("lock")
  private final Lru notSampledCache; // @GuardedBy("lock")

  private final Object lifecycleLock = new Object();
  private volatile boolean stopping;
  private volatile Thread ticker;
  private final AtomicInteger inFlight = new AtomicInteger();

  private final CounterDataPoint[][] policyTraces; // [policy][0 = not sampled, 1 = sampled]
  private final CounterDataPoint[][] policySpans;
  private final CounterDataPoint[] globalTraces;
  private final CounterDataPoint[] lateReleases;
  private final CounterDataPoint newTraces;
  private final CounterDataPoint decidedEarly;
  private final CounterDataPoint tooEarly;
  private final CounterDataPoint tooLarge;
  private final CounterDataPoint refusedTraces;
  private final GaugeDataPoint onMemory;
  private final DistributionDataPoint decisionLatency;

  /** A buffered, undecided trace. */
  private static final class Pending {
    final long firstMillis;
    // @GuardedBy("lock") until decided: the metadata common to every batch that brought spans of
    // the trace
    Context ctx;
    // serialized ResourceSpans: ~4.5x smaller on the heap than parsed ones, and they wait
    // decision_wait (see
    // "tail_sampling CPU (perf-ts)" in docs/BENCHMARKS.md: the garbage collector copied the parsed
    // ones)
    final List<byte[]> fragments = new ArrayList<>();
    final List<CompletionGroup> waiters = new ArrayList<>();
    final long seq; // distinguishes this buffered trace from a later one with the same id
    long dueMillis; // first + decision_wait, or sooner once the root span arrived
    long sizeBytes; // protobuf size of the fragments, as the collector counts it (from the
    // serialized lengths)
    List<byte[]> late; // @GuardedBy("lock"): spans that arrived while the trace was being decided
    int lateSpans; // @GuardedBy("lock"): how many spans late holds

    Pending(long seq, long firstMillis, long dueMillis, Context ctx) {
      this.seq = seq;
      this.firstMillis = firstMillis;
      this.dueMillis = dueMillis;
      this.ctx = ctx;
    }
  }

  /**
   * A trace whose root span made it due at {@code dueMillis}; {@code seq} tells whether the
   * buffered trace under {@code id} is still the same one (without holding on to its spans once it
   * was decided otherwise).
   */
  private record Early(long dueMillis, ByteString id, long seq) implements Comparable<Early> {
    @Override
    public int compareTo(Early o) {
      return Long.compare(dueMillis, o.dueMillis);
    }
  }

  /** A decided trace, delivered outside the lock. */
  private record Decided(Pending pending, boolean sampled) {}

  /** A trace taken out of the buffer to be decided outside the lock. */
  private record Due(ByteString id, Pending pending) {}

  /**
   * The fragments of one trace in an incoming batch: parsed, serialized (what is buffered), and
   * their spans.
   */
  private record Part(List<ResourceSpans> parsed, List<byte[]> wire, int spans) {
    static Part of(List<ResourceSpans> fragments) {
      List<byte[]> wire = new ArrayList<>(fragments.size());
      for (ResourceSpans rs : fragments) {
        wire.add(rs.toByteArray());
      }
      return new Part(fragments, wire, spanCount(fragments));
    }
  }

  /** How many traces a round decides before it publishes their decisions and delivers them. */
  private static final int CHUNK = 64;

  TailSamplingProcessor(Settings settings, TailSamplingConfig cfg, TelemetryConsumer<Traces> next) {
    this(
        settings,
        cfg,
        next,
        cfg.compiledPolicies(
            settings.clock(), new Errors(settings.logger(), "processor " + settings.id())));
  }

  /** With the given policies instead of the configured ones (for tests). */
  TailSamplingProcessor(
      Settings settings,
      TailSamplingConfig cfg,
      TelemetryConsumer<Traces> next,
      List<Policy> policies) {
    this.settings = settings;
    this.cfg = cfg;
    this.next = next;
    this.engine = new DecisionEngine(policies, cfg.sampleOnFirstMatch());
    this.waitMillis = cfg.decisionWait().toMillis();
    this.afterRootMillis = cfg.decisionWaitAfterRootReceived().toMillis();
    this.maxTraceBytes = cfg.maximumTraceSizeBytes();
    this.tickNanos = cfg.tick().toNanos();
    this.sampledCache = cache(cfg.decisionCache().sampledCacheSize());
    this.notSampledCache = cache(cfg.decisionCache().nonSampledCacheSize());
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
    List<Policy> ps = engine.policies();
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
                new double[] {
                  1, 2, 5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 2000, 3000,
                  4000, 5000, 10000, 20000, 30000, 50000
                },
                "processor")
            .labelValues(id);
  }

  private static Lru cache(int size) {
    return size <= 0 ? null : new Lru(size);
  }

  /**
   * A decision cache: trace ids in least-recently-used order, at most {@code max} (the collector's
   * LRU caches). Always used under {@code lock}, so a plain linked map does: a Caffeine cache's
   * writes cost about half as much CPU per decided trace as its policies (see "tail_sampling CPU
   * (perf-ts)" in docs/BENCHMARKS.md).
   */
  private static final class Lru extends LinkedHashMap<ByteString, Boolean> {
    private static final long serialVersionUID = 1L;
    private final int max;

    Lru(int max) {
      super(
          16, 0.75f,
          true); // access order: a lookup makes the id the most recently used, as the collector's
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteString, Boolean> eldest) {
      return size() > max;
    }
  }

  @Override
  public void start(Host host) {
    synchronized (lifecycleLock) {
      if (ticker != null || stopping) {
        return;
      }
      Thread t = new Thread(this::run, "tiercel-tail-sampling-" + settings.id());
      t.setDaemon(true);
      ticker = t;
      t.start();
    }
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, Traces data) {
    if (ticker == null || stopping) {
      return TelemetryConsumer.failed(
          new RetryableException("tail_sampling processor " + settings.id() + " is not running"));
    }
    Map<ByteString, List<ResourceSpans>> groups = group(data.message());
    if (groups.isEmpty()) {
      return TelemetryConsumer.done();
    }
    Map<ByteString, Part> parts = new LinkedHashMap<>(); // serialized before taking the lock
    groups.forEach((id, fragments) -> parts.put(id, Part.of(fragments)));
    // one upstream batch: completes when every trace it touched was decided and delivered
    CompletionGroup waiter = CompletionGroup.pieces(data.itemCount());
    List<Decided> decided = new ArrayList<>();
    List<Due> evicted = new ArrayList<>();
    List<ResourceSpans> lateSampled = new ArrayList<>();
    synchronized (lock) {
      if (cfg.blockOnOverflow()) {
        int fresh = 0;
        for (ByteString id : groups.keySet()) {
          if (!buffer.containsKey(id) && !deciding.containsKey(id) && cached(id) == null) {
            fresh++;
          }
        }
        if (fresh > 0 && buffer.size() + fresh > cfg.numTraces()) {
          refusedTraces.inc();
          return TelemetryConsumer.failed(
              new RetryableException(
                  "tail_sampling processor "
                      + settings.id()
                      + " holds "
                      + buffer.size()
                      + " traces (num_traces "
                      + cfg.numTraces()
                      + "); retry later"));
        }
      }
      long now = settings.clock().millis();
      for (Map.Entry<ByteString, Part> e : parts.entrySet()) {
        ByteString id = e.getKey();
        Part part = e.getValue();
        Pending p = buffer.get(id);
        if (p == null) {
          Pending inDecision = deciding.get(id);
          if (inDecision != null) { // follows the decision being made: see finish()
            if (inDecision.late == null) {
              inDecision.late = new ArrayList<>();
            }
            inDecision.late.addAll(part.wire());
            inDecision.lateSpans += part.spans();
            inDecision.ctx = common(inDecision.ctx, ctx);
            inDecision.waiters.add(waiter);
            waiter.expect();
            continue;
          }
          Boolean cachedSampled = cached(id);
          if (cachedSampled != null) {
            lateReleases[cachedSampled ? 1 : 0].inc(part.spans());
            if (cachedSampled) {
              lateSampled.addAll(part.parsed());
            }
            continue;
          }
          while (buffer.size() >= cfg.numTraces()) {
            Iterator<Map.Entry<ByteString, Pending>> it = buffer.entrySet().iterator();
            Map.Entry<ByteString, Pending> oldest = it.next();
            it.remove();
            decidedEarly.inc();
            evictedDue.add(oldest.getValue().dueMillis);
            deciding.put(oldest.getKey(), oldest.getValue());
            evicted.add(new Due(oldest.getKey(), oldest.getValue()));
          }
          p = new Pending(nextSeq++, now, now + waitMillis, ctx);
          buffer.put(id, p);
          newTraces.inc();
        } else {
          p.ctx = common(p.ctx, ctx);
        }
        p.waiters.add(waiter); // group() yields each trace once per batch, so once per waiter
        waiter.expect();
        p.fragments.addAll(part.wire());
        for (byte[] frag : part.wire()) {
          p.sizeBytes += TraceView.fieldSize(frag.length);
        }
        if (maxTraceBytes > 0 && p.sizeBytes > maxTraceBytes) {
          // The collector's rule: not sampled at once, without the policies, and remembered as not
          // sampled.
          buffer.remove(id);
          tooLarge.inc();
          remember(id, false);
          decided.add(new Decided(p, false));
          continue;
        }
        if (afterRootMillis > 0 && hasRoot(part.parsed()) && now + afterRootMillis < p.dueMillis) {
          p.dueMillis = now + afterRootMillis;
          early.add(new Early(p.dueMillis, id, p.seq));
        }
      }
      onMemory.set(buffer.size());
      if (!evicted.isEmpty()) {
        inFlight.incrementAndGet(); // shutdown waits for these decisions
      }
    }
    if (!lateSampled.isEmpty()) {
      waiter.expect();
      send(
          ctx,
          Traces.of(TracesData.newBuilder().addAllResourceSpans(lateSampled).build()),
          List.of(waiter));
    }
    deliver(decided);
    if (!evicted.isEmpty()) {
      try {
        decideAndDeliver(evicted); // bounded: only the traces this batch evicted
      } finally {
        inFlight.decrementAndGet();
      }
    }
    waiter.close(); // every trace is placed
    return waiter.future();
  }

  /** The cached decision for a trace: true = sampled, false = not sampled, null = unknown. */
  private Boolean cached(ByteString id) {
    if (sampledCache != null && sampledCache.get(id) != null) {
      return Boolean.TRUE;
    }
    if (notSampledCache != null && notSampledCache.get(id) != null) {
      return Boolean.FALSE;
    }
    return null;
  }

  /**
   * Evaluates the policies on a trace taken out of the buffer (in {@code deciding}); called without
   * holding {@code lock}. The fragments are only appended to under {@code lock} while the trace is
   * buffered, so they are stable here; spans arriving meanwhile go to {@code late}.
   */
  private boolean evaluate(ByteString id, Pending p) {
    evalLock.lock();
    try {
      long t0 = System.nanoTime();
      TraceView view = TraceView.of(id, parse(p.fragments));
      DecisionEngine.Outcome o = engine.decide(view);
      decisionLatency.observe((System.nanoTime() - t0) / 1000.0);
      List<Decision> ds = o.decisions();
      for (int i = 0; i < ds.size(); i++) {
        int s = ds.get(i) == Decision.SAMPLED ? 1 : 0;
        policyTraces[i][s].inc();
        policySpans[i][s].inc(view.spanCount());
      }
      globalTraces[o.sampled() ? 1 : 0].inc();
      return o.sampled();
    } finally {
      evalLock.unlock();
    }
  }

  /**
   * Decides the given traces (taken out of the buffer and put in {@code deciding} under the lock)
   * outside the lock, publishes each chunk's decisions under the lock and delivers them.
   */
  private void decideAndDeliver(List<Due> due) {
    for (int from = 0; from < due.size(); from += CHUNK) {
      List<Due> chunk = due.subList(from, Math.min(due.size(), from + CHUNK));
      boolean[] sampled = new boolean[chunk.size()];
      for (int i = 0; i < chunk.size(); i++) {
        sampled[i] = evaluate(chunk.get(i).id(), chunk.get(i).pending());
      }
      List<Decided> decided = new ArrayList<>(chunk.size());
      synchronized (lock) {
        for (int i = 0; i < chunk.size(); i++) {
          decided.add(finish(chunk.get(i).id(), chunk.get(i).pending(), sampled[i]));
        }
      }
      deliver(decided);
    }
  }

  /**
   * Under the lock: the trace leaves {@code deciding} and its decision is remembered in one step,
   * so a span arriving for it either joined {@code late} (and is decided with it) or finds the
   * cached decision.
   */
  private Decided finish(ByteString id, Pending p, boolean sampled) {
    deciding.remove(id, p);
    remember(id, sampled);
    if (p.late != null) {
      lateReleases[sampled ? 1 : 0].inc(p.lateSpans);
      p.fragments.addAll(p.late);
      p.late = null;
    }
    return new Decided(p, sampled);
  }

  private void remember(ByteString id, boolean sampled) {
    Lru c = sampled ? sampledCache : notSampledCache;
    if (c != null) {
      c.put(id, Boolean.TRUE);
    }
  }

  /**
   * Whether a fragment holds a root span: one without a parent span id (empty or all zero, as pdata
   * reads it).
   */
  static boolean hasRoot(List<ResourceSpans> fragments) {
    for (ResourceSpans rs : fragments) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          ByteString parent = s.getParentSpanId();
          boolean zero = true;
          for (int i = 0; i < parent.size() && zero; i++) {
            zero = parent.byteAt(i) == 0;
          }
          if (zero) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Completes the batches of the traces not sampled and sends the sampled ones downstream as
   * <b>one</b> request (the collector recombines the released spans into new batches too): one
   * request per decided chunk of up to {@link #CHUNK} traces instead of one per trace, so one batch
   * join and one serialization downstream per chunk, and far fewer requests in a bounded queue
   * further down (one request per trace once overflowed the file exporter's queue). The request
   * carries the metadata common to all its traces ({@link #common}); every upstream batch holding
   * one of its traces completes with its outcome.
   */
  private void deliver(List<Decided> decided) {
    List<byte[]> fragments = null;
    List<CompletionGroup> waiters = null;
    Context ctx = Context.EMPTY;
    for (Decided d : decided) {
      Pending p = d.pending();
      if (!d.sampled()) {
        for (CompletionGroup w : p.waiters) {
          w.done(null); // dropped by decision: done
        }
      } else if (fragments == null) {
        fragments = new ArrayList<>(p.fragments);
        waiters = new ArrayList<>(p.waiters);
        ctx = p.ctx;
      } else {
        fragments.addAll(p.fragments);
        waiters.addAll(
            p.waiters); // a batch holding several of these traces is here once per trace, as
        // counted
        ctx = common(ctx, p.ctx);
      }
    }
    if (fragments != null) {
      send(ctx, join(fragments), waiters);
    }
  }

  /**
   * The metadata two contexts share: each key whose values are equal in both (a Kafka record's
   * {@code kafka.offset} differs from record to record and is dropped; a tenant header the records
   * agree on stays). Returns {@code a} itself when it holds nothing {@code b} lacks, so merging
   * equal contexts allocates nothing.
   */
  static Context common(Context a, Context b) {
    if (a == b || a.metadata().isEmpty()) {
      return a;
    }
    Map<String, List<String>> bm = b.metadata();
    boolean all = true;
    for (Map.Entry<String, List<String>> e : a.metadata().entrySet()) {
      if (!e.getValue().equals(bm.get(e.getKey()))) {
        all = false;
        break;
      }
    }
    if (all) {
      return a;
    }
    Map<String, List<String>> kept = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : a.metadata().entrySet()) {
      if (e.getValue().equals(bm.get(e.getKey()))) {
        kept.put(e.getKey(), e.getValue());
      }
    }
    return Context.of(kept);
  }

  /**
   * One serialized {@code TracesData} holding the given serialized {@code ResourceSpans}: each
   * framed as field 1, which is what serializing the message would write, without parsing or
   * re-encoding a span.
   */
  static Traces join(List<byte[]> fragments) {
    int size = 0;
    for (byte[] b : fragments) {
      size += CodedOutputStream.computeByteArraySize(TracesData.RESOURCE_SPANS_FIELD_NUMBER, b);
    }
    byte[] out = new byte[size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (byte[] b : fragments) {
        o.writeByteArray(TracesData.RESOURCE_SPANS_FIELD_NUMBER, b);
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "sizing a joined request", e); // cannot happen: the array is sized for it
    }
    return Traces.ofBytes(out);
  }

  /** The buffered fragments parsed again, for the policies. */
  private static List<ResourceSpans> parse(List<byte[]> fragments) {
    List<ResourceSpans> out = new ArrayList<>(fragments.size());
    for (byte[] b : fragments) {
      try {
        out.add(ResourceSpans.parseFrom(b));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a fragment this processor serialized does not parse", e);
      }
    }
    return out;
  }

  private void send(Context ctx, Traces data, List<CompletionGroup> waiters) {
    CompletableFuture<Void> f;
    try {
      f = next.consume(ctx, data);
    } catch (RuntimeException ex) {
      f = CompletableFuture.failedFuture(ex);
    }
    inFlight.incrementAndGet();
    f.whenComplete(
        (v, err) -> {
          for (CompletionGroup w : waiters) {
            w.done(err);
          }
          inFlight.decrementAndGet();
        });
  }

  private void run() {
    while (!stopping) {
      LockSupport.parkNanos(this, tickNanos);
      if (stopping) {
        break;
      }
      tick();
    }
  }

  /** Decides every trace whose wait is over (visible for tests through the ticker). */
  void tick() {
    List<Due> due = new ArrayList<>();
    synchronized (lock) {
      long now = settings.clock().millis();
      while (!early.isEmpty() && early.peek().dueMillis() <= now) {
        Early e = early.poll();
        Pending p = buffer.get(e.id());
        if (p != null && p.seq == e.seq()) { // else already decided: a stale entry
          buffer.remove(e.id());
          deciding.put(e.id(), p);
          due.add(new Due(e.id(), p));
        }
      }
      Iterator<Map.Entry<ByteString, Pending>> it = buffer.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<ByteString, Pending> e = it.next();
        if (now - e.getValue().firstMillis < waitMillis) {
          break; // first-arrival order: the rest are younger
        }
        it.remove();
        deciding.put(e.getKey(), e.getValue());
        due.add(new Due(e.getKey(), e.getValue()));
      }
      // The collector drops a trace at num_traces and counts it when its decision comes due and the
      // trace is
      // gone; Tiercel decided it early instead (nothing lost) and counts it at the same moment.
      while (!evictedDue.isEmpty() && evictedDue.peek() <= now) {
        evictedDue.poll();
        tooEarly.inc();
      }
      onMemory.set(buffer.size());
      if (due.isEmpty()) {
        return;
      }
      inFlight.incrementAndGet(); // shutdown waits for these decisions
    }
    try {
      decideAndDeliver(due); // the policies run outside the lock: consume is not held up by a round
    } catch (RuntimeException ex) {
      settings
          .logger()
          .warn("tail_sampling processor {} failed to deliver decided traces", settings.id(), ex);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * Splits a request into per-trace fragments, as the collector does: for each resource, one
   * fragment per trace holding the resource and, per scope, that trace's spans.
   */
  static Map<ByteString, List<ResourceSpans>> group(TracesData in) {
    Map<ByteString, List<ResourceSpans>> out = new LinkedHashMap<>();
    for (ResourceSpans rs : in.getResourceSpansList()) {
      ByteString only = singleTrace(rs);
      if (only
          != null) { // the common case behind a Kafka receiver (one record per trace): the resource
        // as it is
        out.computeIfAbsent(only, k -> new ArrayList<>(1)).add(rs);
        continue;
      }
      Map<ByteString, ResourceSpans.Builder> byTrace = new LinkedHashMap<>();
      ResourceSpans shell = null; // the resource without its scopes, copied once per resource
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        if (ss.getSpansCount() == 0) {
          continue;
        }
        ScopeSpans scopeShell =
            ss.toBuilder().clearSpans().build(); // once per scope, not per trace
        Map<ByteString, ScopeSpans.Builder> scoped = new LinkedHashMap<>();
        for (Span s : ss.getSpansList()) {
          scoped.computeIfAbsent(s.getTraceId(), k -> scopeShell.toBuilder()).addSpans(s);
        }
        if (shell == null) {
          shell = rs.toBuilder().clearScopeSpans().build();
        }
        for (Map.Entry<ByteString, ScopeSpans.Builder> e : scoped.entrySet()) {
          ResourceSpans resourceShell = shell;
          byTrace
              .computeIfAbsent(e.getKey(), k -> resourceShell.toBuilder())
              .addScopeSpans(e.getValue());
        }
      }
      for (Map.Entry<ByteString, ResourceSpans.Builder> e : byTrace.entrySet()) {
        out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().build());
      }
    }
    return out;
  }

  /**
   * The trace id of every span of a resource when they all share one and no scope is empty (so the
   * resource is already the fragment {@link #group} would build); null otherwise.
   */
  private static ByteString singleTrace(ResourceSpans rs) {
    ByteString id = null;
    for (ScopeSpans ss : rs.getScopeSpansList()) {
      if (ss.getSpansCount() == 0) {
        return null;
      }
      for (Span s : ss.getSpansList()) {
        ByteString t = s.getTraceId();
        if (id == null) {
          id = t;
        } else if (!id.equals(t)) {
          return null;
        }
      }
    }
    return id;
  }

  private static int spanCount(List<ResourceSpans> fragments) {
    int n = 0;
    for (ResourceSpans rs : fragments) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  @Override
  public void shutdown(Deadline deadline) throws InterruptedException {
    Thread t;
    synchronized (lifecycleLock) {
      if (stopping) {
        return;
      }
      stopping = true;
      t = ticker;
    }
    if (t != null) {
      LockSupport.unpark(t);
      t.join(Math.max(1, deadline.remainingMillis()));
    }
    List<Pending> undecided = new ArrayList<>();
    List<Due> decided = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<ByteString, Pending> e :
          buffer.entrySet()) { // first-arrival order, as the ticks would
        if (cfg.dropPendingTracesOnShutdown()) {
          undecided.add(e.getValue());
        } else {
          deciding.put(e.getKey(), e.getValue());
          decided.add(new Due(e.getKey(), e.getValue()));
        }
      }
      buffer.clear();
      early.clear();
      evictedDue.clear();
      onMemory.set(0);
    }
    if (!decided.isEmpty()) {
      // The collector's default: the best decision with the spans there are. The upstream batches
      // complete as
      // for any decision (a sampled trace only once the downstream accepted it), so nothing is
      // acknowledged early.
      decideAndDeliver(decided);
      settings
          .logger()
          .info(
              "tail_sampling processor {} decided {} pending traces at shutdown with the spans"
                  + " they had",
              settings.id(),
              decided.size());
    }
    if (!undecided.isEmpty()) {
      // drop_pending_traces_on_shutdown: no decision on partial data. The upstream batches fail
      // retryably, so the
      // Kafka receiver does not commit them and the partition's next owner reads the whole traces
      // again.
      RetryableException err =
          new RetryableException(
              "tail_sampling processor " + settings.id() + " shut down before deciding the trace");
      for (Pending p : undecided) {
        for (CompletionGroup w : p.waiters) {
          w.done(err);
        }
      }
      settings
          .logger()
          .info(
              "tail_sampling processor {} released {} undecided traces at shutdown (upstream"
                  + " was not acknowledged, so it can deliver them again)",
              settings.id(),
              undecided.size());
    }
    while (inFlight.get() > 0 && !deadline.expired()) {
      Thread.sleep(5);
    }
    if (inFlight.get() > 0) {
      settings
          .logger()
          .warn(
              "tail_sampling processor {} did not drain before the shutdown deadline ({} sends in"
                  + " flight)",
              settings.id(),
              inFlight.get());
    }
  }
}
