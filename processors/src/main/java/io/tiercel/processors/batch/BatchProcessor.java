package io.tiercel.processors.batch;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.CompletionGroup;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Batches;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.util.DaemonThreads;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Joins requests into batches, sent when {@code send_batch_size} items are reached or {@code
 * timeout} after the first item, split at {@code send_batch_max_size}.
 *
 * <p>Unlike the collector's batch processor, the future of every incoming request completes only
 * when every batch that carries a part of it completed downstream, and fails if one of them failed:
 * acknowledgements and errors reach the receiver (so a Kafka receiver commits only exported data).
 * A failure carrying the part of the data that failed reaches each request as the pieces of it that
 * failed (see {@link #withoutFailedPart} and {@link CompletionGroup#pieces}).
 *
 * <p>Request path: a lock-free hand-off ({@link ConcurrentLinkedQueue} + unpark) to one batching
 * thread per processor, which joins serialized requests by concatenation (no parsing) and splits
 * parsed data only when a batch must be capped. Without {@code send_batch_max_size}, parsed
 * requests are serialized on the caller's thread before the hand-off, so the queue holds compact
 * bytes and the batching thread only concatenates. Pending input is bounded: past {@code 32 x
 * max(send_batch_size, send_batch_max_size)} items waiting for the batching thread, new requests
 * are refused with a retryable error.
 */
final class BatchProcessor<T extends OtlpData> implements Processor<T> {
  private static final long IDLE_PARK_NANOS = 50_000_000L;

  private final Settings settings;
  private final BatchConfig cfg;
  private final TelemetryConsumer<T> next;
  private final long maxPendingItems;
  private final ConcurrentLinkedQueue<Entry<T>> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicLong pendingItems = new AtomicLong();
  private final AtomicInteger inFlightBatches = new AtomicInteger();
  private final Object lifecycleLock = new Object();
  private volatile boolean stopping;
  private volatile Thread worker;

  // Owned by the worker thread only.
  private final Map<List<String>, Batch<T>> batches = new LinkedHashMap<>();

  private final DistributionDataPoint sendSize;
  private final CounterDataPoint sizeTrigger;
  private final CounterDataPoint timeoutTrigger;
  private final GaugeDataPoint cardinality;

  /** One upstream request; its group completes when every batch holding a piece of it did. */
  private record Entry<T>(Context ctx, T data, CompletionGroup group) {}

  private static final class Batch<T> {
    final Context ctx;
    List<T> parts = new ArrayList<>();
    List<CompletionGroup> groups = new ArrayList<>();
    int items;
    long deadlineNanos;

    Batch(Context ctx) {
      this.ctx = ctx;
    }
  }

  BatchProcessor(Settings settings, BatchConfig cfg, TelemetryConsumer<T> next) {
    this.settings = settings;
    this.cfg = cfg;
    this.next = next;
    this.maxPendingItems = 32L * Math.max(1, Math.max(cfg.sendBatchSize(), cfg.sendBatchMaxSize()));
    String id = settings.id().toString();
    var m = settings.metrics();
    sendSize =
        m.histogram(
                "otelcol_processor_batch_batch_send_size",
                "Number of units in the batch",
                new double[] {
                  10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000,
                  8000, 9000, 10000, 20000, 30000, 50000, 100000
                },
                "processor")
            .labelValues(id);
    sizeTrigger =
        m.counter(
                "otelcol_processor_batch_batch_size_trigger_send",
                "Number of times the batch was sent due to a size trigger",
                "processor")
            .labelValues(id);
    timeoutTrigger =
        m.counter(
                "otelcol_processor_batch_timeout_trigger_send",
                "Number of times the batch was sent due to a timeout trigger",
                "processor")
            .labelValues(id);
    cardinality =
        m.gauge(
                "otelcol_processor_batch_metadata_cardinality",
                "Number of distinct metadata value combinations being processed",
                "processor")
            .labelValues(id);
  }

  @Override
  public void start(Host host) {
    synchronized (lifecycleLock) {
      if (worker != null || stopping) {
        return;
      }
      Thread t =
          DaemonThreads.thread("batch-" + settings.id() + "-" + settings.signal(), "", this::run);
      worker = t;
      t.start();
    }
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    Thread w = worker;
    if (w == null || stopping) {
      return TelemetryConsumer.failed(
          new RetryableException("batch processor " + settings.id() + " is not running"));
    }
    int items = data.itemCount();
    if (items == 0) {
      return TelemetryConsumer.done();
    }
    long now = pendingItems.addAndGet(items);
    if (now > maxPendingItems && now != items) {
      pendingItems.addAndGet(-items);
      return TelemetryConsumer.failed(
          new RetryableException(
              "batch processor "
                  + settings.id()
                  + " has "
                  + (now - items)
                  + " items waiting to be batched; refusing more until it catches up"));
    }
    if (cfg.sendBatchMaxSize() == 0) {
      // Nothing will be split, so nothing needs the parsed message: serialize here, on the caller's
      // thread, and
      // queue the bytes. Queued parsed messages (~5x the bytes on the heap) lived long enough under
      // load to be
      // promoted, and the batching thread serialized every batch alone (see "Processing tier
      // profile (perf2)"
      // in docs/BENCHMARKS.md).
      data = data.serializedOnly();
    }
    CompletionGroup group = CompletionGroup.pieces(items);
    inbox.add(new Entry<>(ctx, data, group));
    LockSupport.unpark(w);
    if (stopping && !w.isAlive()) {
      failLeftovers(); // raced with shutdown after the batching thread's last look at the inbox
    }
    return group.future();
  }

  private void run() {
    while (true) {
      Entry<T> e;
      while ((e = inbox.poll()) != null) {
        pendingItems.addAndGet(-e.data.itemCount());
        place(e);
      }
      long now = System.nanoTime();
      long nextDeadline = Long.MAX_VALUE;
      for (Iterator<Batch<T>> it = batches.values().iterator(); it.hasNext(); ) {
        Batch<T> b = it.next();
        if (b.items > 0 && now - b.deadlineNanos >= 0) {
          timeoutTrigger.inc();
          flush(b);
        }
        if (b.items == 0 && !cfg.metadataKeys().isEmpty()) {
          it.remove(); // idle metadata batchers do not count towards the cardinality limit
        } else if (b.items > 0) {
          nextDeadline = Math.min(nextDeadline, b.deadlineNanos);
        }
      }
      cardinality.set(batches.size());
      if (stopping && inbox.isEmpty()) {
        for (Batch<T> b : batches.values()) {
          if (b.items > 0) {
            flush(b);
          }
        }
        if (inbox.isEmpty()) {
          return;
        }
        continue;
      }
      if (inbox.isEmpty()) {
        long wait =
            nextDeadline == Long.MAX_VALUE
                ? IDLE_PARK_NANOS
                : Math.max(0, nextDeadline - System.nanoTime());
        if (wait > 0) {
          LockSupport.parkNanos(this, Math.min(wait, IDLE_PARK_NANOS));
        }
      }
    }
  }

  private void place(Entry<T> e) {
    List<String> key = List.of();
    if (!cfg.metadataKeys().isEmpty()) {
      List<String> k = new ArrayList<>(cfg.metadataKeys().size());
      for (String mk : cfg.metadataKeys()) {
        k.add(String.join("\u0000", e.ctx.get(mk)));
      }
      key = k;
    }
    Batch<T> batch = batches.get(key);
    if (batch == null) {
      if (!cfg.metadataKeys().isEmpty() && batches.size() >= cfg.metadataCardinalityLimit()) {
        e.group.expect();
        e.group.done(
            new PermanentException(
                "batch processor "
                    + settings.id()
                    + ": too many distinct metadata value combinations (metadata_cardinality_limit "
                    + cfg.metadataCardinalityLimit()
                    + ")"));
        e.group.close();
        return;
      }
      batch = new Batch<>(batchContext(e.ctx));
      batches.put(key, batch);
    }
    T remaining = e.data;
    int max = cfg.sendBatchMaxSize();
    while (max > 0 && batch.items + remaining.itemCount() > max) {
      int room = max - batch.items;
      List<T> pieces = Batches.split(remaining, room);
      append(batch, pieces.get(0), e.group);
      sizeTrigger.inc();
      flush(batch);
      remaining =
          pieces.size() == 2 ? pieces.get(1) : Batches.join(pieces.subList(1, pieces.size()));
    }
    if (remaining.itemCount() > 0) {
      append(batch, remaining, e.group);
    }
    if (cfg.timeout().isZero() || batch.items >= cfg.sendBatchSize()) {
      if (!cfg.timeout().isZero()) {
        sizeTrigger.inc();
      }
      flush(batch);
    }
    e.group.close(); // every piece is placed
  }

  private Context batchContext(Context ctx) {
    if (cfg.metadataKeys().isEmpty()) {
      return Context.EMPTY;
    }
    Map<String, List<String>> kept = new LinkedHashMap<>();
    for (String k : cfg.metadataKeys()) {
      List<String> v = ctx.get(k);
      if (!v.isEmpty()) {
        kept.put(k, v);
      }
    }
    return Context.of(kept);
  }

  private void append(Batch<T> b, T piece, CompletionGroup g) {
    if (b.items == 0) {
      b.deadlineNanos = System.nanoTime() + cfg.timeout().toNanos();
    }
    b.parts.add(piece);
    b.items += piece.itemCount();
    b.groups.add(g);
    g.expect();
  }

  private void flush(Batch<T> b) {
    List<T> parts = b.parts;
    List<CompletionGroup> groups = b.groups;
    int items = b.items;
    b.parts = new ArrayList<>();
    b.groups = new ArrayList<>();
    b.items = 0;
    sendSize.observe(items);
    CompletableFuture<Void> f;
    try {
      f = next.consume(b.ctx, Batches.join(parts));
    } catch (RuntimeException ex) {
      f = CompletableFuture.failedFuture(ex);
    }
    inFlightBatches.incrementAndGet();
    f.whenComplete(
        (v, err) -> {
          Throwable perPiece = err == null || parts.size() == 1 ? err : withoutFailedPart(err);
          for (int i = 0; i < parts.size(); i++) {
            groups.get(i).done(perPiece, parts.get(i));
          }
          inFlightBatches.decrementAndGet();
        });
  }

  /**
   * The failure of a batch joined from several pieces, for each of them. The part that failed
   * ({@link PipelineException#failed()}) describes the joined batch; which of its items came from
   * which piece is not kept, so every piece counts as failed whole (a retry may repeat items that
   * were delivered, never lose one). A batch of one piece passes the part on as it is.
   */
  private static Throwable withoutFailedPart(Throwable err) {
    return PipelineException.unwrap(err) instanceof PipelineException pe && pe.failed().isPresent()
        ? pe.withFailed(null)
        : err;
  }

  private void failLeftovers() {
    Entry<T> e;
    while ((e = inbox.poll()) != null) {
      pendingItems.addAndGet(-e.data.itemCount());
      e.group.abandon(
          new RetryableException(
              "batch processor " + settings.id() + " shut down before batching the request"));
    }
  }

  @Override
  public void shutdown(Deadline deadline) throws InterruptedException {
    Thread w;
    synchronized (lifecycleLock) {
      if (stopping) {
        return;
      }
      stopping = true;
      w = worker;
    }
    if (w == null) {
      return;
    }
    LockSupport.unpark(w);
    w.join(Math.max(1, deadline.remainingMillis()));
    while (inFlightBatches.get() > 0 && !deadline.expired()) {
      Thread.sleep(5);
    }
    if (!w.isAlive()) {
      failLeftovers();
    }
    if (w.isAlive() || inFlightBatches.get() > 0) {
      settings
          .logger()
          .warn(
              "Batch processor {} did not drain before the shutdown deadline ({} batches in"
                  + " flight)",
              settings.id(),
              inFlightBatches.get());
    }
  }
}
