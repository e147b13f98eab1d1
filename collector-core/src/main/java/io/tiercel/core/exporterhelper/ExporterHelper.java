package io.tiercel.core.exporterhelper;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.tiercel.core.component.Deadline;
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
import io.tiercel.core.util.ThrottledLogger;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The queue -> retry -> timeout chain every exporter shares (the collector's exporter helper),
 * around a {@link Sender} that makes one attempt.
 *
 * <p>Nothing here blocks a caller: {@link #consume} enqueues (or, without a queue, starts the first
 * attempt) and returns a future. Up to {@code num_consumers} sends run at once; retries wait on a
 * scheduler thread, never on a caller's or a consumer's thread. With {@code wait_for_result: false}
 * (the collector's default) the caller's future completes when the request is queued; with {@code
 * true}, when it was exported or finally failed. A full queue refuses with a {@link
 * RetryableException} (counted in {@code otelcol_exporter_enqueue_failed_*}), unless {@code
 * block_on_overflow} holds the request until space frees; held requests are bounded by the callers'
 * own in-flight limits, since each holds its data anyway.
 *
 * <p>Partial failure: an attempt that fails with the part of its data that failed ({@link
 * io.tiercel.core.consumer.PipelineException#failed()}) had every other item taken; those count as
 * sent, the next attempt sends only that part, and a persistent queue's file is replaced by it (see
 * {@link RetrySender}). A request that finally fails carries what was left.
 *
 * <p>Counts {@code otelcol_exporter_sent_*} and {@code otelcol_exporter_send_failed_*} itself when
 * a send (or a part of it) succeeds or finally fails (see {@link
 * io.tiercel.core.component.Exporter#reportsOwnMetrics()}).
 */
public final class ExporterHelper<T extends OtlpData> implements TelemetryConsumer<T> {
  private enum State {
    NEW,
    STARTED,
    STOPPING,
    STOPPED
  }

  private final Settings settings;
  private final QueueConfig queue;
  private final RetrySender<T> retrySender;
  private final ThrottledLogger failureLog;

  private final ConcurrentLinkedQueue<QueuedRequest<T>> pending = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<QueuedRequest<T>> blocked = new ConcurrentLinkedQueue<>();
  private final AtomicLong used = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object lifecycleLock = new Object();
  private volatile State state = State.NEW;
  private ScheduledExecutorService scheduler;
  private FileQueueStore store; // null: in-memory queue
  private java.util.concurrent.ExecutorService writer;
  private final AtomicLong seq = new AtomicLong();
  private final @Nullable QueueBatcher<T> batcher; // guarded by batchLock; null: no batching
  private final Object batchLock = new Object();

  private final CounterDataPoint sent;
  private final CounterDataPoint sendFailed;
  private final CounterDataPoint enqueueFailed;
  private final GaugeDataPoint queueSize;

  /**
   * @param settings the exporter's settings (its id names the metrics; its signal picks the item
   *     noun)
   * @param timeout per-attempt timeout; zero means none
   */
  public ExporterHelper(
      Settings settings, Duration timeout, RetryConfig retry, QueueConfig queue, Sender<T> sender) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.failureLog = new ThrottledLogger(settings.logger(), Duration.ofSeconds(10));
    Objects.requireNonNull(settings.signal(), "settings.signal");
    String items = settings.signal().itemName();
    String id = settings.id().toString();
    var m = settings.metrics();
    sent =
        m.counter(
                "otelcol_exporter_sent_" + items,
                "Number of " + items + " successfully sent to destination.",
                "exporter")
            .labelValues(id);
    sendFailed =
        m.counter(
                "otelcol_exporter_send_failed_" + items,
                "Number of " + items + " in failed attempts to send to destination.",
                "exporter")
            .labelValues(id);
    enqueueFailed =
        m.counter(
                "otelcol_exporter_enqueue_failed_" + items,
                "Number of " + items + " failed to be added to the sending queue.",
                "exporter")
            .labelValues(id);
    queueSize =
        m.gauge(
                "otelcol_exporter_queue_size",
                "Current size of the retry queue (in batches).",
                "exporter",
                "data_type")
            .labelValues(id, settings.signal().id());
    m.gauge(
            "otelcol_exporter_queue_capacity",
            "Fixed capacity of the retry queue (in batches).",
            "exporter",
            "data_type")
        .labelValues(id, settings.signal().id())
        .set(queue.enabled() ? queue.queueSize() : 0);
    // profiles requests cannot be joined (Batches.joinable): they are sent one request each
    this.batcher =
        queue.enabled() && queue.batch() != null && Batches.joinable(settings.signal())
            ? new QueueBatcher<>(queue.batch())
            : null;
    this.retrySender =
        new RetrySender<>(
            settings,
            Objects.requireNonNull(timeout, "timeout"),
            Objects.requireNonNull(retry, "retry"),
            Objects.requireNonNull(sender, "sender"),
            failureLog,
            sent,
            sendFailed,
            () -> state == State.STARTED);
  }

  /** Starts the retry scheduler; for a queue without {@code storage}. Idempotent. */
  public void start() {
    if (queue.enabled() && queue.storage() != null) {
      throw new IllegalStateException("a persistent queue needs the host: call start(Host)");
    }
    start(null);
  }

  /**
   * Starts the retry scheduler and, for a persistent queue ({@code sending_queue.storage}), opens
   * the storage extension's directory and replays every request a previous run left on disk.
   * Idempotent.
   *
   * @throws IllegalStateException when the storage extension is not configured, is not a storage
   *     extension, or its directory cannot be read
   */
  public void start(io.tiercel.core.component.Host host) {
    synchronized (lifecycleLock) {
      if (state != State.NEW) {
        return;
      }
      if (queue.enabled() && queue.storage() != null) {
        openStore(host);
      }
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              DaemonThreads.named(settings.id() + "-" + settings.signal(), "retry"));
      retrySender.useScheduler(scheduler);
      state = State.STARTED;
    }
    drain(); // requests replayed from the persistent queue
  }

  private void openStore(io.tiercel.core.component.Host host) {
    try {
      store = FileQueueStore.open(settings, queue.storage(), host);
      var dir = store.dir();
      var stored = store.loadAll(settings);
      long items = 0;
      for (var st : stored) {
        @SuppressWarnings("unchecked")
        T data = (T) OtlpData.ofBytes(settings.signal(), st.payload());
        QueuedRequest<T> req = new QueuedRequest<>(st.ctx(), data, sizeOf(data));
        req.file = st.file();
        req.enqueued.complete(null);
        used.addAndGet(req.size);
        pending.add(req);
        items += data.itemCount();
        seq.set(Math.max(seq.get(), st.seq() + 1));
      }
      if (!stored.isEmpty()) {
        settings
            .logger()
            .info(
                "Exporter {} ({}): replaying {} requests ({} {}) from the persistent queue in {}",
                settings.id(),
                settings.signal(),
                stored.size(),
                items,
                settings.signal().itemName(),
                dir);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "exporter " + settings.id() + ": cannot open the persistent queue: " + e.getMessage(), e);
    }
    writer =
        Executors.newSingleThreadExecutor(
            DaemonThreads.named(settings.id() + "-" + settings.signal(), "queue-writer"));
  }

  private long sizeOf(T data) {
    return switch (queue.sizer()) {
      case REQUESTS -> 1;
      case ITEMS -> data.itemCount();
      case BYTES -> data.serializedSize();
    };
  }

  /**
   * Puts a request whose capacity is reserved into the queue: at once in memory, or after its file
   * is written.
   */
  private void admit(QueuedRequest<T> req) {
    if (store == null) {
      pending.add(req);
      req.enqueued.complete(null);
      return;
    }
    writer.execute(
        () -> {
          try {
            req.file = store.write(seq.getAndIncrement(), req.ctx, req.data.bytes());
          } catch (java.io.IOException | RuntimeException e) {
            used.addAndGet(-req.size);
            queueSize.set(used.get());
            enqueueFailed.inc(req.data.itemCount());
            RetryableException err =
                new RetryableException(
                    "exporter "
                        + settings.id()
                        + ": cannot write to the persistent queue: "
                        + e.getMessage(),
                    e);
            req.enqueued.completeExceptionally(err);
            req.result.completeExceptionally(err);
            return;
          }
          pending.add(req);
          req.enqueued.complete(null);
          drain();
        });
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    if (state != State.STARTED) {
      return TelemetryConsumer.failed(
          new RetryableException("exporter " + settings.id() + " is not running"));
    }
    if (!queue.enabled()) {
      return retrySender.send(ctx, data, part -> {});
    }
    long size = sizeOf(data);
    if (size > queue.queueSize()) {
      enqueueFailed.inc(data.itemCount());
      return TelemetryConsumer.failed(
          new PermanentException(
              "request of "
                  + size
                  + " "
                  + queue.sizer().name().toLowerCase(java.util.Locale.ROOT)
                  + " is larger than the sending queue (queue_size "
                  + queue.queueSize()
                  + ") of exporter "
                  + settings.id()));
    }
    QueuedRequest<T> req = new QueuedRequest<>(ctx, data, size);
    if (reserve(size)) {
      admit(req);
    } else if (queue.blockOnOverflow()) {
      blocked.add(req);
      admitBlocked(); // space may have freed between reserve and add
    } else {
      enqueueFailed.inc(data.itemCount());
      return TelemetryConsumer.failed(
          new RetryableException(
              "sending queue of exporter "
                  + settings.id()
                  + " is full (queue_size "
                  + queue.queueSize()
                  + ")"));
    }
    queueSize.set(used.get());
    drain();
    return queue.waitForResult() ? req.result : req.enqueued;
  }

  private boolean reserve(long size) {
    while (true) {
      long u = used.get();
      if (u + size > queue.queueSize()) {
        return false;
      }
      if (used.compareAndSet(u, u + size)) {
        return true;
      }
    }
  }

  private void admitBlocked() {
    QueuedRequest<T> head;
    while ((head = blocked.peek()) != null && reserve(head.size)) {
      if (blocked.remove(head)) {
        admit(head);
      } else {
        used.addAndGet(-head.size);
      }
    }
  }

  private void drain() {
    if (batcher != null) {
      drainBatched();
      return;
    }
    while (true) {
      int n = inFlight.get();
      if (n >= queue.numConsumers() || pending.isEmpty()) {
        return;
      }
      if (!inFlight.compareAndSet(n, n + 1)) {
        continue;
      }
      QueuedRequest<T> req = pending.poll();
      if (req == null) {
        inFlight.decrementAndGet();
        continue;
      }
      used.addAndGet(-req.size);
      admitBlocked();
      queueSize.set(used.get());
      retrySender
          .send(req.ctx, req.data, part -> storeRemaining(req, part))
          .whenComplete(
              (v, e) -> {
                inFlight.decrementAndGet();
                finish(req, e);
                drain();
              });
    }
  }

  /**
   * With {@code sending_queue.batch}: while a consumer is free, sends the next ready batch, else
   * takes the next request from the queue into the batcher. Requests wait in the queue (counted
   * against {@code queue_size}) while every consumer is busy, so the batcher holds at most the
   * batches being filled.
   */
  private void drainBatched() {
    while (true) {
      QueueBatcher.Batch<T> batch;
      CompletionGroup placed = null;
      synchronized (batchLock) {
        if (inFlight.get() >= queue.numConsumers()) {
          return;
        }
        batcher.expire(System.nanoTime(), state != State.STARTED);
        batch = batcher.pollReady();
        if (batch == null) {
          QueuedRequest<T> req = pending.poll();
          if (req == null) {
            return;
          }
          used.addAndGet(-req.size);
          admitBlocked();
          queueSize.set(used.get());
          placed = CompletionGroup.pieces(req.data.itemCount());
          placed.future().whenComplete((v, e) -> finish(req, e));
          if (batcher.add(req, placed, System.nanoTime())) {
            scheduleFlush();
          }
        } else {
          inFlight.incrementAndGet();
        }
      }
      if (placed != null) {
        placed.close(); // outside the lock: an empty request completes (and drains) here
      } else {
        sendBatch(batch);
      }
    }
  }

  private void scheduleFlush() {
    try {
      scheduler.schedule(this::drain, queue.batch().flushTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      // shut down: the shutdown flushes what is open
    }
  }

  /**
   * Sends one batch; its pieces' requests learn the outcome ({@link QueueBatcher.Batch#completed}).
   * Only a request that is the batch's whole data has its queue file narrowed to what an attempt
   * left.
   */
  private void sendBatch(QueueBatcher.Batch<T> batch) {
    var pieces = batch.pieces();
    var only = pieces.size() == 1 && pieces.get(0).whole() ? pieces.get(0).request() : null;
    CompletableFuture<Void> f;
    try {
      f = retrySender.send(batch.ctx(), batch.data(), part -> storeRemaining(only, part));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (v, e) -> {
          inFlight.decrementAndGet();
          batch.completed(e);
          drain();
        });
  }

  /** A request's final outcome: its queue file goes unless a shutdown keeps it for the restart. */
  private void finish(QueuedRequest<T> req, @Nullable Throwable e) {
    if (req.file != null
        && (e == null || state == State.STARTED || !PipelineException.classify(e).isRetryable())) {
      // exported, or finally failed (counted); a shutdown keeps it for the restart
      deleteQueueFile(req.finish());
    }
    if (e == null) {
      req.result.complete(null);
    } else {
      req.result.completeExceptionally(e);
    }
  }

  /**
   * A persisted request whose attempt left only {@code part} to send: the queue file is replaced by
   * one holding that part, so a restart replays only what is left. On the writer thread; {@link
   * QueuedRequest#replaceFile} settles a race with the request's final delete.
   */
  private void storeRemaining(@Nullable QueuedRequest<T> req, T part) {
    if (req == null || req.file == null) {
      return;
    }
    onWriter(
        () -> {
          java.nio.file.Path written;
          try {
            written = store.write(seq.getAndIncrement(), req.ctx, part.bytes());
          } catch (java.io.IOException | RuntimeException e) {
            failureLog.warn(
                "Exporter "
                    + settings.id()
                    + ": cannot store the part left to send; the queue file keeps the whole"
                    + " request",
                e);
            return;
          }
          deleteQueueFile(req.replaceFile(written));
        });
  }

  /** Runs {@code task} on the queue writer, or here once the writer has stopped. */
  private void onWriter(Runnable task) {
    try {
      writer.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      task.run();
    }
  }

  private void deleteQueueFile(java.nio.file.@Nullable Path file) {
    if (file == null) {
      return;
    }
    try {
      store.delete(file);
    } catch (java.io.IOException io) {
      failureLog.warn("Exporter " + settings.id() + ": cannot delete sent queue file " + file, io);
    }
  }

  private RetryableException keptForRestart() {
    return new RetryableException(
        "exporter "
            + settings.id()
            + " shut down; the request stays in the persistent queue and is sent after a restart");
  }

  private boolean batching() {
    if (batcher == null) {
      return false;
    }
    synchronized (batchLock) {
      return !batcher.isEmpty();
    }
  }

  private java.util.List<QueueBatcher.Piece<T>> unsentPieces() {
    if (batcher == null) {
      return java.util.List.of();
    }
    synchronized (batchLock) {
      return batcher.takeAll();
    }
  }

  /** Requests waiting in the queue (in sizer units). */
  public long queueSize() {
    return used.get();
  }

  /**
   * Stops intake, lets queued and in-flight requests finish until the deadline (no new retries are
   * started), then fails what is left with a {@link RetryableException}. Idempotent; safe without
   * {@link #start()}.
   */
  public void shutdown(Deadline deadline) throws InterruptedException {
    synchronized (lifecycleLock) {
      if (state == State.STOPPED || state == State.STOPPING) {
        return;
      }
      if (state == State.NEW) {
        state = State.STOPPED;
        return;
      }
      state = State.STOPPING;
    }
    // Retries waiting on the scheduler get one last attempt now rather than waiting out their
    // backoff.
    retrySender.retryWaitingNow();
    drain(); // open batches go now
    while (!deadline.expired()
        && (inFlight.get() > 0 || !pending.isEmpty() || !blocked.isEmpty() || batching())) {
      Thread.sleep(Math.min(20, Math.max(1, deadline.remainingMillis())));
      drain();
    }
    scheduler.shutdownNow();
    if (writer != null) {
      writer.shutdown();
      writer.awaitTermination(Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS);
    }
    RetryableException gone =
        new RetryableException("exporter " + settings.id() + " shut down before sending");
    retrySender.failWaiting(gone);
    QueuedRequest<T> r;
    int dropped = 0;
    int kept = 0;
    for (var p : unsentPieces()) {
      if (p.request().file != null) {
        kept += p.data().itemCount();
        p.group().abandon(keptForRestart());
      } else {
        dropped += p.data().itemCount();
        p.group().abandon(gone);
      }
    }
    while ((r = pending.poll()) != null || (r = blocked.poll()) != null) {
      if (r.file != null) {
        kept += r.data.itemCount(); // on disk: sent after the restart
        r.result.completeExceptionally(keptForRestart());
        continue;
      }
      dropped += r.data.itemCount();
      r.enqueued.completeExceptionally(gone);
      r.result.completeExceptionally(gone);
    }
    if (kept > 0) {
      settings
          .logger()
          .info(
              "Exporter {} shut down with {} {} in its persistent queue; they are sent after a"
                  + " restart",
              settings.id(),
              kept,
              settings.signal().itemName());
    }
    if (dropped > 0) {
      sendFailed.inc(dropped);
      settings
          .logger()
          .warn(
              "Exporter {} shut down with {} {} still queued; they were not sent",
              settings.id(),
              dropped,
              settings.signal().itemName());
    }
    used.set(0);
    queueSize.set(0);
    state = State.STOPPED;
  }
}
