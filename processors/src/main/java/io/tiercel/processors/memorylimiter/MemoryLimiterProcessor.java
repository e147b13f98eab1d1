package io.tiercel.processors.memorylimiter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Refuses data with a retryable error while the memory that survives garbage collection is above the soft limit
 * (receivers answer UNAVAILABLE / 503, the Kafka receiver pauses), and forces a collection above the limits (at
 * most once per {@code min_gc_interval_*}). The heap is read every {@code check_interval} on the processor's own
 * thread; the request path reads one volatile flag.
 *
 * <p>The rule, per check (see the module README for why it differs from the collector's):
 * <ol>
 *   <li>heap used now (garbage included) at or below the soft limit: accept;</li>
 *   <li>above the hard limit: force a collection if {@code min_gc_interval_when_hard_limited} has passed since the
 *       last forced one and decide on the usage right after it; otherwise refuse;</li>
 *   <li>between the limits: if a collection (the JVM's own or a forced one) ended less than
 *       {@code min_gc_interval_when_soft_limited} ago and left the heap at or below the soft limit, accept: what
 *       is above the limit now was allocated since and has not survived anything yet. Otherwise force a
 *       collection if that interval has passed since the last forced one and decide on the usage after it;
 *       otherwise refuse.</li>
 * </ol>
 */
final class MemoryLimiterProcessor<T extends OtlpData> implements Processor<T> {
  private final Settings settings;
  private final TelemetryConsumer<T> next;
  private final HeapSource heap;
  private final Clock clock;
  private final long checkMillis;
  private final long soft;
  private final long hard;
  private final long minGcSoftMillis;
  private final long minGcHardMillis;
  private final CounterDataPoint refused;
  private final Object lifecycleLock = new Object();
  private volatile boolean limited;
  // Read and written on the checker thread only (tests call check() from theirs).
  private long seenCollections;
  private long afterGc = -1;
  private long afterGcAtMillis;
  private long lastForcedGcMillis;
  private boolean forcedOnce;
  private ScheduledExecutorService checker;
  private boolean stopped;

  MemoryLimiterProcessor(Settings settings, MemoryLimiterConfig cfg, TelemetryConsumer<T> next,
      long maxHeap, HeapSource heap) {
    this.settings = settings;
    this.next = next;
    this.heap = heap;
    this.clock = settings.clock();
    this.checkMillis = Math.max(1, cfg.checkInterval().toMillis());
    this.hard = cfg.hardLimitBytes(maxHeap);
    this.soft = cfg.softLimitBytes(maxHeap);
    this.minGcSoftMillis = cfg.minGcIntervalWhenSoftLimited().toMillis();
    this.minGcHardMillis = cfg.minGcIntervalWhenHardLimited().toMillis();
    String items = settings.signal().itemName();
    refused = settings.metrics().counter("otelcol_processor_refused_" + items,
        "Number of " + items + " that were rejected by the next component in the pipeline.", "processor")
        .labelValues(settings.id().toString());
  }

  @Override
  public void start(Host host) {
    synchronized (lifecycleLock) {
      if (checker != null || stopped) {
        return;
      }
      heap.start();
      seenCollections = heap.collections();
      checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tiercel-memory-limiter-" + settings.id() + "-" + settings.signal());
        t.setDaemon(true);
        return t;
      });
      settings.logger().info("Memory limiter configured: {} soft limit {} MiB, hard limit {} MiB of heap that "
          + "survives collection, checked every {} ms", settings.id(), soft >> 20, hard >> 20, checkMillis);
      checker.execute(this::check);
      checker.scheduleWithFixedDelay(this::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** One measurement and decision; package-private for tests. */
  void check() {
    long now = clock.millis();
    long collections = heap.collections();
    if (collections != seenCollections) {
      seenCollections = collections;
      long after = heap.usedAfterLastCollection();
      if (after >= 0) {
        afterGc = after;
        afterGcAtMillis = now;
      }
    }
    long used = heap.used();
    long decided = used;
    if (used > hard) {
      if (gcAllowed(now, minGcHardMillis)) {
        settings.logger().warn("Memory usage is above hard limit. Forcing a GC. ({}: {} MiB)", settings.id(),
            used >> 20);
        decided = forceGc(now);
      }
    } else if (used > soft) {
      if (afterGc >= 0 && afterGc <= soft && now - afterGcAtMillis < minGcSoftMillis) {
        decided = afterGc;
      } else if (gcAllowed(now, minGcSoftMillis)) {
        settings.logger().info("Memory usage is above soft limit. Forcing a GC. ({}: {} MiB)", settings.id(),
            used >> 20);
        decided = forceGc(now);
      }
    }
    boolean over = decided > soft;
    if (over != limited) {
      limited = over;
      if (over) {
        settings.logger().warn("Memory usage is above soft limit. Refusing data. ({}: {} MiB > {} MiB)",
            settings.id(), decided >> 20, soft >> 20);
      } else {
        settings.logger().info("Memory usage back within limits. Resuming normal operation. ({}: {} MiB)",
            settings.id(), decided >> 20);
      }
    }
  }

  private boolean gcAllowed(long now, long minIntervalMillis) {
    return !forcedOnce || now - lastForcedGcMillis >= minIntervalMillis;
  }

  private long forceGc(long now) {
    heap.gc();
    forcedOnce = true;
    lastForcedGcMillis = now;
    long after = heap.used();
    afterGc = after;
    afterGcAtMillis = now;
    settings.logger().info("Memory usage after GC. ({}: {} MiB)", settings.id(), after >> 20);
    return after;
  }

  /** True while data is refused. */
  boolean limited() {
    return limited;
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    if (limited) {
      refused.inc(data.itemCount());
      return TelemetryConsumer.failed(new RetryableException("data refused due to high memory usage (processor "
          + settings.id() + ", soft limit " + (soft >> 20) + " MiB)"));
    }
    return next.consume(ctx, data);
  }

  @Override
  public void shutdown(Deadline deadline) {
    synchronized (lifecycleLock) {
      stopped = true;
      if (checker != null) {
        checker.shutdownNow();
        heap.stop();
      }
    }
  }
}
