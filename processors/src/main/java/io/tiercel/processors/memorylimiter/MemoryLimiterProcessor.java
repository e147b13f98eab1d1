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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Refuses data with a retryable error while the heap is above the soft limit (receivers answer
 * UNAVAILABLE / 503, the Kafka receiver pauses), and forces a garbage collection above the hard limit (at most
 * once per {@code min_gc_interval_*}). The heap is read every {@code check_interval} on the processor's own
 * thread; the request path reads one volatile flag.
 */
final class MemoryLimiterProcessor<T extends OtlpData> implements Processor<T> {
  private final Settings settings;
  private final TelemetryConsumer<T> next;
  private final LongSupplier heapUsed;
  private final Runnable gc;
  private final long checkMillis;
  private final long soft;
  private final long hard;
  private final long minGcSoftNanos;
  private final long minGcHardNanos;
  private final CounterDataPoint refused;
  private final Object lifecycleLock = new Object();
  private volatile boolean limited;
  private long lastGcNanos = Long.MIN_VALUE;
  private ScheduledExecutorService checker;
  private boolean stopped;

  MemoryLimiterProcessor(Settings settings, MemoryLimiterConfig cfg, TelemetryConsumer<T> next,
      long maxHeap, LongSupplier heapUsed, Runnable gc) {
    this.settings = settings;
    this.next = next;
    this.heapUsed = heapUsed;
    this.gc = gc;
    this.checkMillis = Math.max(1, cfg.checkInterval().toMillis());
    this.hard = cfg.hardLimitBytes(maxHeap);
    this.soft = cfg.softLimitBytes(maxHeap);
    this.minGcSoftNanos = cfg.minGcIntervalWhenSoftLimited().toNanos();
    this.minGcHardNanos = cfg.minGcIntervalWhenHardLimited().toNanos();
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
      checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tiercel-memory-limiter-" + settings.id() + "-" + settings.signal());
        t.setDaemon(true);
        return t;
      });
      settings.logger().info("Memory limiter {}: soft limit {} MiB, hard limit {} MiB, checked every {} ms",
          settings.id(), soft >> 20, hard >> 20, checkMillis);
      check();
      checker.scheduleWithFixedDelay(this::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** One measurement; package-private for tests. */
  void check() {
    long used = heapUsed.getAsLong();
    long now = System.nanoTime();
    if (used > soft) {
      long minInterval = used > hard ? minGcHardNanos : minGcSoftNanos;
      if (lastGcNanos == Long.MIN_VALUE || now - lastGcNanos >= minInterval) {
        gc.run();
        lastGcNanos = now;
        used = heapUsed.getAsLong();
      }
    }
    boolean over = used > soft;
    if (over != limited) {
      limited = over;
      if (over) {
        settings.logger().warn("Memory usage is above the soft limit ({} MiB > {} MiB): {} refuses data",
            used >> 20, soft >> 20, settings.id());
      } else {
        settings.logger().info("Memory usage is back below the soft limit ({} MiB): {} accepts data again",
            used >> 20, settings.id());
      }
    }
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
      }
    }
  }
}
