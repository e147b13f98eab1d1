package io.tiercel.core.exporterhelper;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
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

  private final ConcurrentLinkedQueue<Request<T>> pending = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Request<T>> blocked = new ConcurrentLinkedQueue<>();
  private final AtomicLong used = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object lifecycleLock = new Object();
  private volatile State state = State.NEW;
  private ScheduledExecutorService scheduler;
  private FileQueueStore store; // null: in-memory queue
  private java.util.concurrent.ExecutorService writer;
  private final AtomicLong seq = new AtomicLong();

  private final CounterDataPoint sent;
  private final CounterDataPoint sendFailed;
  private final CounterDataPoint enqueueFailed;
  private final GaugeDataPoint queueSize;

  private static final class Request<T> {
    final Context ctx;
    final T data;
    final long size;
    volatile java.nio.file.Path file; // set once persisted
    final CompletableFuture<Void> enqueued = new CompletableFuture<>();
    final CompletableFuture<Void> result = new CompletableFuture<>();

    private boolean finished; // guarded by this: the queue file was (or is being) deleted

    Request(Context ctx, T data, long size) {
      this.ctx = ctx;
      this.data = data;
      this.size = size;
    }

    /**
     * Makes {@code f} the request's queue file; returns the file to delete: the one it replaces, or
     * {@code f} itself when the request finished meanwhile.
     */
    synchronized java.nio.file.Path replaceFile(java.nio.file.Path f) {
      if (finished) {
        return f;
      }
      java.nio.file.Path old = file;
      file = f;
      return old;
    }

    /** Marks the request finished; returns its queue file, to delete. */
    synchronized java.nio.file.Path finish() {
      finished = true;
      return file;
    }
  }

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
    io.tiercel.core.component.ComponentId sid =
        io.tiercel.core.component.ComponentId.parse(queue.storage());
    var ext =
        host == null
            ? java.util.Optional.<io.tiercel.core.extension.storage.StorageExtension>empty()
            : host.extension(sid, io.tiercel.core.extension.storage.StorageExtension.class);
    if (ext.isEmpty()) {
      throw new IllegalStateException(
          "exporters."
              + settings.id()
              + ".sending_queue.storage: \""
              + sid
              + "\" is not a configured storage extension (add it under extensions and"
              + " service.extensions)");
    }
    try {
      var dir =
          ext.get()
              .directory(
                  io.tiercel.core.component.Kind.EXPORTER, settings.id(), settings.signal().id());
      store = new FileQueueStore(dir, ext.get().fsync());
      java.util.List<java.nio.file.Path> corrupt = new java.util.ArrayList<>();
      var stored = store.loadAll(corrupt);
      if (!corrupt.isEmpty()) {
        settings
            .logger()
            .error(
                "Exporter {}: {} queue files failed their checksum and were moved aside: {}",
                settings.id(),
                corrupt.size(),
                corrupt);
      }
      long items = 0;
      for (var st : stored) {
        @SuppressWarnings("unchecked")
        T data = (T) OtlpData.ofBytes(settings.signal(), st.payload());
        Request<T> req = new Request<>(st.ctx(), data, sizeOf(data));
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
  private void admit(Request<T> req) {
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
    Request<T> req = new Request<>(ctx, data, size);
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
    Request<T> head;
    while ((head = blocked.peek()) != null && reserve(head.size)) {
      if (blocked.remove(head)) {
        admit(head);
      } else {
        used.addAndGet(-head.size);
      }
    }
  }

  private void drain() {
    while (true) {
      int n = inFlight.get();
      if (n >= queue.numConsumers() || pending.isEmpty()) {
        return;
      }
      if (!inFlight.compareAndSet(n, n + 1)) {
        continue;
      }
      Request<T> req = pending.poll();
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
                if (req.file != null
                    && (e == null
                        || state == State.STARTED
                        || !PipelineException.classify(e).isRetryable())) {
                  // exported, or finally failed (counted); a shutdown keeps it for the restart
                  deleteQueueFile(req.finish());
                }
                if (e == null) {
                  req.result.complete(null);
                } else {
                  req.result.completeExceptionally(e);
                }
                drain();
              });
    }
  }

  /**
   * A persisted request whose attempt left only {@code part} to send: the queue file is replaced by
   * one holding that part, so a restart replays only what is left. On the writer thread; {@link
   * Request#replaceFile} settles a race with the request's final delete.
   */
  private void storeRemaining(Request<T> req, T part) {
    if (req.file == null) {
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

  private void deleteQueueFile(java.nio.file.Path file) {
    try {
      store.delete(file);
    } catch (java.io.IOException io) {
      failureLog.warn("Exporter " + settings.id() + ": cannot delete sent queue file " + file, io);
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
    while (!deadline.expired()
        && (inFlight.get() > 0 || !pending.isEmpty() || !blocked.isEmpty())) {
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
    Request<T> r;
    int dropped = 0;
    int kept = 0;
    while ((r = pending.poll()) != null || (r = blocked.poll()) != null) {
      if (r.file != null) {
        kept += r.data.itemCount(); // on disk: sent after the restart
        r.result.completeExceptionally(
            new RetryableException(
                "exporter "
                    + settings.id()
                    + " shut down; the request stays in the persistent queue and is sent after a"
                    + " restart"));
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
