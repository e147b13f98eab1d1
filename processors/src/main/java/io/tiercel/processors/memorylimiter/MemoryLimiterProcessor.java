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

/**
 * The {@code memory_limiter} of one pipeline and signal: refuses data with a retryable error while
 * its component's shared {@link MemoryLimiter} says the memory that survives garbage collection is
 * above the soft limit (receivers answer UNAVAILABLE / 503, the Kafka receiver pauses). The request
 * path reads one volatile flag; the heap is read and collections are forced by the shared limiter's
 * one checker thread, which this processor's {@code start} acquires and its {@code shutdown}
 * releases. The refusal counter is this processor's own.
 */
final class MemoryLimiterProcessor<T extends OtlpData> implements Processor<T> {
  private final TelemetryConsumer<T> next;
  private final MemoryLimiter limiter;
  private final CounterDataPoint refused;
  private final Object lifecycleLock = new Object();
  private boolean acquired; // guarded by lifecycleLock

  MemoryLimiterProcessor(Settings settings, TelemetryConsumer<T> next, MemoryLimiter limiter) {
    this.next = next;
    this.limiter = limiter;
    String items = settings.signal().itemName();
    refused =
        settings
            .metrics()
            .counter(
                "otelcol_processor_refused_" + items,
                "Number of " + items + " that were rejected by the next component in the pipeline.",
                "processor")
            .labelValues(settings.id().toString());
  }

  @Override
  public void start(Host host) {
    synchronized (lifecycleLock) {
      if (!acquired) {
        acquired = true;
        limiter.acquire();
      }
    }
  }

  /** One measurement and decision of the shared limiter; package-private for tests. */
  void check() {
    limiter.check();
  }

  /** True while data is refused. */
  boolean limited() {
    return limiter.limited();
  }

  /** The shared limiter; for tests. */
  MemoryLimiter limiter() {
    return limiter;
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    if (limiter.limited()) {
      refused.inc(data.itemCount());
      return TelemetryConsumer.failed(new RetryableException(limiter.refusal()));
    }
    return next.consume(ctx, data);
  }

  @Override
  public void shutdown(Deadline deadline) {
    synchronized (lifecycleLock) {
      if (acquired) {
        acquired = false;
        limiter.release();
      }
    }
  }
}
