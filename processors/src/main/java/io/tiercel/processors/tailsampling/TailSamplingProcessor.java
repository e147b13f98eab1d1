package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.LiveStatus;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.GoDuration;
import io.tiercel.core.consumer.CompletionGroup;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.core.util.DaemonThreads;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.tailsampling.PendingTrace.Decided;
import io.tiercel.processors.tailsampling.PendingTrace.Due;
import io.tiercel.processors.tailsampling.PendingTrace.Early;
import io.tiercel.processors.tailsampling.WireSplit.Arrival;
import java.time.Duration;
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
 * <p>Memory: a buffered trace holds its spans once, as slices of the requests they came in (not
 * copies, not parsed: see {@link SpanSlices}), with a summary of what its policies read, taken from
 * the wire as the spans arrive, on the caller's thread ({@link WireSplit}); deciding needs no parse
 * except for an {@code ottl_condition} policy the evaluation reaches, which parses that trace's
 * spans then. Sampled traces go downstream as their slices joined into one request, grouped by
 * resource and scope; at most {@code num_traces} traces are buffered; a new trace past the bound
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
final class TailSamplingProcessor implements Processor<Traces>, LiveStatus {
  private final Settings settings;
  private final TailSamplingConfig cfg;
  private final TelemetryConsumer<Traces> next;
  private final DecisionEngine engine;
  private final SpanTests tests;
  private final long waitMillis;
  private final long afterRootMillis; // 0 = off
  private final long maxTraceBytes; // 0 = no limit
  private final long tickNanos;

  private final Object lock = new Object();
  // @GuardedBy("lock"): insertion order = order of first arrival, so the head is the oldest trace.
  private final LinkedHashMap<ByteString, PendingTrace> buffer = new LinkedHashMap<>();
  // @GuardedBy("lock"): traces made due sooner by their root span; an entry is stale once its trace
  // left the buffer.
  private final PriorityQueue<Early> early = new PriorityQueue<>();
  // @GuardedBy("lock"): when each trace decided early at num_traces would have been due (see
  // tooEarly).
  private final PriorityQueue<Long> evictedDue = new PriorityQueue<>();
  // @GuardedBy("lock"): traces taken out of the buffer whose policies are being evaluated outside
  // the lock.
  private final HashMap<ByteString, PendingTrace> deciding = new HashMap<>();
  private long nextSeq; // @GuardedBy("lock")
  // Serializes policy evaluation (policies keep state), per trace; never taken while holding
  // "lock". Fair, so a receiver thread deciding the traces its batch evicted waits for one trace's
  // evaluation, not a whole round.
  private final ReentrantLock evalLock = new ReentrantLock(true);
  private final DecisionCaches caches; // @GuardedBy("lock")

  private final Object lifecycleLock = new Object();
  private volatile boolean stopping;
  private volatile Thread ticker;
  private final AtomicInteger inFlight = new AtomicInteger();

  private final TailSamplingMetrics metrics;

  /** How many traces a round decides before it publishes their decisions and delivers them. */
  private static final int CHUNK = 64;

  /**
   * A processor over the configured policies.
   *
   * @param tick how often the decision thread looks for due traces (developer wiring: see {@link
   *     TailSamplingFactory#TailSamplingFactory(Duration)})
   */
  TailSamplingProcessor(
      Settings settings, TailSamplingConfig cfg, TelemetryConsumer<Traces> next, Duration tick) {
    this(settings, cfg, next, tick, new SpanTests());
  }

  private TailSamplingProcessor(
      Settings settings,
      TailSamplingConfig cfg,
      TelemetryConsumer<Traces> next,
      Duration tick,
      SpanTests tests) {
    this(
        settings,
        cfg,
        next,
        tick,
        PolicyEvaluators.create(
            cfg.policies(),
            settings.clock(),
            new Errors(settings.logger(), "processor " + settings.id()),
            tests),
        tests);
  }

  /**
   * With the given policies instead of the configured ones (for tests); their span tests, having no
   * bits here, are answered from the parsed spans.
   */
  TailSamplingProcessor(
      Settings settings,
      TailSamplingConfig cfg,
      TelemetryConsumer<Traces> next,
      Duration tick,
      List<Policy> policies) {
    this(settings, cfg, next, tick, policies, new SpanTests());
  }

  private TailSamplingProcessor(
      Settings settings,
      TailSamplingConfig cfg,
      TelemetryConsumer<Traces> next,
      Duration tick,
      List<Policy> policies,
      SpanTests tests) {
    this.settings = settings;
    this.tests = tests;
    this.cfg = cfg;
    this.next = next;
    this.engine = new DecisionEngine(policies, cfg.sampleOnFirstMatch());
    this.waitMillis = cfg.decisionWait().toMillis();
    this.afterRootMillis = cfg.decisionWaitAfterRootReceived().toMillis();
    this.maxTraceBytes = cfg.maximumTraceSizeBytes();
    this.tickNanos = tick.toNanos();
    this.caches = new DecisionCaches(cfg.decisionCache());
    this.metrics = new TailSamplingMetrics(settings, engine.policies());
  }

  /** Its policies in evaluation order and its limits (the counts are in its metrics). */
  @Override
  public Map<String, Object> liveStatus() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policies", engine.policies().stream().map(Policy::name).toList());
    m.put("decision_wait", GoDuration.format(cfg.decisionWait()));
    m.put("num_traces", cfg.numTraces());
    return m;
  }

  @Override
  public void start(Host host) {
    synchronized (lifecycleLock) {
      if (ticker != null || stopping) {
        return;
      }
      Thread t = DaemonThreads.thread(settings.id(), "decide", this::run);
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
    TracesView view = data.view();
    if (!view.untouched()) { // edited upstream: the slices are taken from the bytes it serializes
      view = Traces.ofBytes(data.bytes()).view();
    }
    // split and summarized before taking the lock, without parsing
    Map<ByteString, Arrival> parts = WireSplit.split(view, tests);
    if (parts.isEmpty()) {
      return TelemetryConsumer.done();
    }
    // one upstream batch: completes when every trace it touched was decided and delivered
    CompletionGroup waiter = CompletionGroup.pieces(data.itemCount());
    List<Decided> decided = new ArrayList<>();
    List<Due> evicted = new ArrayList<>();
    List<SpanSlices> lateSampled = new ArrayList<>();
    synchronized (lock) {
      if (cfg.blockOnOverflow()) {
        int fresh = 0;
        for (ByteString id : parts.keySet()) {
          if (!buffer.containsKey(id) && !deciding.containsKey(id) && caches.get(id) == null) {
            fresh++;
          }
        }
        if (fresh > 0 && buffer.size() + fresh > cfg.numTraces()) {
          metrics.refusedTraces.inc();
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
      for (Map.Entry<ByteString, Arrival> e : parts.entrySet()) {
        ByteString id = e.getKey();
        Arrival part = e.getValue();
        int spans = part.summary.spans;
        PendingTrace p = buffer.get(id);
        if (p == null) {
          PendingTrace inDecision = deciding.get(id);
          if (inDecision != null) { // follows the decision being made: see finish()
            if (inDecision.late == null) {
              inDecision.late = part.spans;
            } else {
              inDecision.late.addAll(part.spans);
            }
            inDecision.ctx = TraceFragments.common(inDecision.ctx, ctx);
            inDecision.waiters.add(waiter);
            waiter.expect();
            continue;
          }
          Boolean cachedSampled = caches.get(id);
          if (cachedSampled != null) {
            metrics.lateReleases[cachedSampled ? 1 : 0].inc(spans);
            Long decidedAt = caches.decidedAtMillis(id);
            if (decidedAt != null) {
              metrics.lateSpanAge.observe(Math.max(0, now - decidedAt) / 1000);
            }
            if (cachedSampled) {
              lateSampled.add(part.spans);
            }
            continue;
          }
          while (buffer.size() >= cfg.numTraces()) {
            Iterator<Map.Entry<ByteString, PendingTrace>> it = buffer.entrySet().iterator();
            Map.Entry<ByteString, PendingTrace> oldest = it.next();
            it.remove();
            metrics.decidedEarly.inc();
            evictedDue.add(oldest.getValue().dueMillis);
            deciding.put(oldest.getKey(), oldest.getValue());
            evicted.add(new Due(oldest.getKey(), oldest.getValue()));
          }
          // the first arrival's slices and summary become the trace's: nothing is copied
          p = new PendingTrace(nextSeq++, now, now + waitMillis, ctx, part.spans, part.summary);
          buffer.put(id, p);
          metrics.newTraces.inc();
        } else {
          p.ctx = TraceFragments.common(p.ctx, ctx);
          p.spans.addAll(part.spans);
          p.summary.add(part.summary);
        }
        p.waiters.add(waiter); // split() yields each trace once per batch, so once per waiter
        waiter.expect();
        if (maxTraceBytes > 0 && p.summary.sizeBytes > maxTraceBytes) {
          // The collector's rule: not sampled at once, without the policies, and remembered as
          // not sampled.
          buffer.remove(id);
          metrics.tooLarge.inc();
          metrics.traceRemovalAge.observe(Math.max(0, now - p.firstMillis) / 1000);
          caches.remember(id, false, now);
          decided.add(new Decided(p, false));
          continue;
        }
        if (afterRootMillis > 0 && part.summary.root && now + afterRootMillis < p.dueMillis) {
          p.dueMillis = now + afterRootMillis;
          early.add(new Early(p.dueMillis, id, p.seq));
        }
      }
      metrics.onMemory.set(buffer.size());
      if (!evicted.isEmpty()) {
        inFlight.incrementAndGet(); // shutdown waits for these decisions
      }
    }
    if (!lateSampled.isEmpty()) {
      waiter.expect();
      send(ctx, Traces.ofBytes(SpanSlices.join(lateSampled)), List.of(waiter));
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

  /**
   * Evaluates the policies on a trace taken out of the buffer (in {@code deciding}); called without
   * holding {@code lock}. The fragments are only appended to under {@code lock} while the trace is
   * buffered, so they are stable here; spans arriving meanwhile go to {@code late}.
   */
  private boolean evaluate(ByteString id, PendingTrace p) {
    evalLock.lock();
    try {
      long t0 = System.nanoTime();
      TraceView view = TraceView.of(id, p.summary, tests, p.spans);
      DecisionEngine.Outcome o = engine.decide(view);
      metrics.decisionLatency.observe((System.nanoTime() - t0) / 1000.0);
      List<Decision> ds = o.decisions();
      for (int i = 0; i < ds.size(); i++) {
        if (ds.get(i) == Decision.ERROR) {
          metrics.policyEvaluationErrors.inc();
        }
        int s = ds.get(i) == Decision.SAMPLED ? 1 : 0;
        metrics.policyTraces[i][s].inc();
        metrics.policySpans[i][s].inc(view.spanCount());
      }
      metrics.globalTraces[o.sampled() ? 1 : 0].inc();
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
  private Decided finish(ByteString id, PendingTrace p, boolean sampled) {
    deciding.remove(id, p);
    long now = settings.clock().millis();
    metrics.traceRemovalAge.observe(Math.max(0, now - p.firstMillis) / 1000);
    caches.remember(id, sampled, now);
    if (p.late != null) {
      metrics.lateReleases[sampled ? 1 : 0].inc(p.late.size());
      p.spans.addAll(p.late);
      p.late = null;
    }
    return new Decided(p, sampled);
  }

  /**
   * Completes the batches of the traces not sampled and sends the sampled ones downstream as
   * <b>one</b> request (the collector recombines the released spans into new batches too): one
   * request per decided chunk of up to {@link #CHUNK} traces instead of one per trace, so one batch
   * join and one serialization downstream per chunk, and far fewer requests in a bounded queue
   * further down (one request per trace once overflowed the file exporter's queue). The request
   * carries the metadata common to all its traces ({@link TraceFragments#common}); every upstream
   * batch holding one of its traces completes with its outcome.
   */
  private void deliver(List<Decided> decided) {
    List<SpanSlices> fragments = null;
    List<CompletionGroup> waiters = null;
    Context ctx = Context.EMPTY;
    for (Decided d : decided) {
      PendingTrace p = d.pending();
      if (!d.sampled()) {
        for (CompletionGroup w : p.waiters) {
          w.done(null); // dropped by decision: done
        }
      } else if (fragments == null) {
        fragments = new ArrayList<>();
        fragments.add(p.spans);
        waiters = new ArrayList<>(p.waiters);
        ctx = p.ctx;
      } else {
        fragments.add(p.spans);
        // a batch holding several of these traces is here once per trace, as counted
        waiters.addAll(p.waiters);
        ctx = TraceFragments.common(ctx, p.ctx);
      }
    }
    if (fragments != null) {
      send(ctx, Traces.ofBytes(SpanSlices.join(fragments)), waiters);
    }
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

  /**
   * Decides every trace whose wait is over (visible for tests through the ticker); each run is
   * timed in {@code sampling_decision_timer_latency}.
   */
  void tick() {
    long t0 = System.nanoTime();
    try {
      decideDue();
    } finally {
      metrics.decisionTimerLatency.observe((System.nanoTime() - t0) / 1_000_000);
    }
  }

  private void decideDue() {
    List<Due> due = new ArrayList<>();
    synchronized (lock) {
      long now = settings.clock().millis();
      while (!early.isEmpty() && early.peek().dueMillis() <= now) {
        Early e = early.poll();
        PendingTrace p = buffer.get(e.id());
        if (p != null && p.seq == e.seq()) { // else already decided: a stale entry
          buffer.remove(e.id());
          deciding.put(e.id(), p);
          due.add(new Due(e.id(), p));
        }
      }
      Iterator<Map.Entry<ByteString, PendingTrace>> it = buffer.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<ByteString, PendingTrace> e = it.next();
        if (now - e.getValue().firstMillis < waitMillis) {
          break; // first-arrival order: the rest are younger
        }
        it.remove();
        deciding.put(e.getKey(), e.getValue());
        due.add(new Due(e.getKey(), e.getValue()));
      }
      // The collector drops a trace at num_traces and counts it when its decision comes due and
      // the trace is gone; Tiercel decided it early instead (nothing lost) and counts it at the
      // same moment.
      while (!evictedDue.isEmpty() && evictedDue.peek() <= now) {
        evictedDue.poll();
        metrics.tooEarly.inc();
      }
      metrics.onMemory.set(buffer.size());
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
    List<PendingTrace> undecided = new ArrayList<>();
    List<Due> decided = new ArrayList<>();
    synchronized (lock) {
      // first-arrival order, as the ticks would
      for (Map.Entry<ByteString, PendingTrace> e : buffer.entrySet()) {
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
      metrics.onMemory.set(0);
    }
    if (!decided.isEmpty()) {
      // The collector's default: the best decision with the spans there are. The upstream batches
      // complete as for any decision (a sampled trace only once the downstream accepted it), so
      // nothing is acknowledged early.
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
      // retryably, so the Kafka receiver does not commit them and the partition's next owner reads
      // the whole traces again.
      RetryableException err =
          new RetryableException(
              "tail_sampling processor " + settings.id() + " shut down before deciding the trace");
      for (PendingTrace p : undecided) {
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
