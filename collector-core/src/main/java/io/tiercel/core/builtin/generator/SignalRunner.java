package io.tiercel.core.builtin.generator;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.util.DaemonThreads;
import io.tiercel.core.util.ThrottledLogger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Generates and sends one signal on its own thread. */
final class SignalRunner {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final Signal signal;
  private final GeneratorReceiverConfig config;
  private final TelemetryConsumer<OtlpData> next;
  private final TelemetryGenerator generator;
  private final Clock clock;
  private final Logger log;
  private final ThrottledLogger failures;
  private final String threadName;
  private final Semaphore permits;
  private final DelayQueue<Retry> retries = new DelayQueue<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retryCount = new AtomicLong();
  private final CounterDataPoint sentCounter;
  private final CounterDataPoint failedCounter;
  private final CounterDataPoint retryCounter;
  private volatile boolean stopping;
  private volatile boolean generatedAll;
  private Thread thread;

  /** A request waiting to be resent. */
  private record Retry(OtlpData data, int items, int attempt, long dueNanos) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(dueNanos, ((Retry) o).dueNanos);
    }
  }

  @SuppressWarnings("unchecked")
  SignalRunner(
      Settings settings, GeneratorReceiverConfig config, Signal signal, TelemetryConsumer<?> next) {
    this.signal = signal;
    this.config = config;
    this.next = (TelemetryConsumer<OtlpData>) next;
    this.generator = new TelemetryGenerator(config, signal.ordinal() + 1L);
    this.clock = settings.clock();
    this.log = settings.logger();
    this.failures = new ThrottledLogger(log, Duration.ofSeconds(10));
    this.threadName = "tiercel-generator-" + settings.id() + "-" + signal;
    this.permits = new Semaphore(config.maxInFlight());
    String receiver = settings.id().toString();
    this.sentCounter =
        settings
            .metrics()
            .counter(
                "otelcol_generator_sent_items",
                "Items the generator receiver sent and the pipeline accepted",
                "receiver",
                "signal")
            .labelValues(receiver, signal.id());
    this.failedCounter =
        settings
            .metrics()
            .counter(
                "otelcol_generator_failed_items",
                "Items the pipeline refused with a permanent error",
                "receiver",
                "signal")
            .labelValues(receiver, signal.id());
    this.retryCounter =
        settings
            .metrics()
            .counter(
                "otelcol_generator_retries",
                "Requests resent after a retryable error",
                "receiver",
                "signal")
            .labelValues(receiver, signal.id());
  }

  void start() {
    thread = DaemonThreads.thread(threadName, "", this::run);
    thread.start();
  }

  void stop() {
    stopping = true;
  }

  /** Waits for the thread and then for the requests in flight, until the deadline. */
  void awaitStopped(Deadline deadline) throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.join(Math.max(1, deadline.remainingMillis()));
    }
    while (inFlight() > retries.size() && !deadline.expired()) {
      Thread.sleep(5);
    }
  }

  int inFlight() {
    return config.maxInFlight() - permits.availablePermits();
  }

  GeneratorReceiver.SignalStats stats() {
    return new GeneratorReceiver.SignalStats(
        sent.get(), failed.get(), retryCount.get(), inFlight());
  }

  boolean finished() {
    return generatedAll && inFlight() == 0;
  }

  private void run() {
    long total = config.total();
    long scheduled = 0;
    long startNanos = System.nanoTime();
    double nanosPerItem = config.rate() > 0 ? 1e9 / config.rate() : 0;
    try {
      while (!stopping) {
        Retry retry = retries.poll();
        if (retry != null) {
          send(retry.data(), retry.items(), retry.attempt());
          continue;
        }
        if (total > 0 && scheduled >= total) {
          generatedAll = true;
          if (inFlight() == 0) {
            return; // everything sent and settled
          }
          retry = retries.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
          if (retry != null) {
            send(retry.data(), retry.items(), retry.attempt());
          }
          continue;
        }
        if (!permits.tryAcquire(POLL_NANOS, TimeUnit.NANOSECONDS)) {
          continue;
        }
        if (nanosPerItem > 0) {
          long due = startNanos + (long) (scheduled * nanosPerItem);
          if (!sleepUntil(due)) {
            permits.release();
            return;
          }
        }
        int items =
            (int)
                (total > 0 ? Math.min(config.batchSize(), total - scheduled) : config.batchSize());
        scheduled += items;
        send(generate(items), items, 0);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("Generating {} failed; this signal stops", signal, e);
    }
  }

  /** Sleeps until {@code due} (System.nanoTime), waking to check for stop; false when stopping. */
  private boolean sleepUntil(long due) throws InterruptedException {
    while (!stopping) {
      long wait = due - System.nanoTime();
      if (wait <= 0) {
        return true;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(wait, POLL_NANOS));
    }
    return false;
  }

  private OtlpData generate(int items) {
    Instant now = clock.instant();
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    // Serialize once per request: every resend and every fan-out branch shares these bytes.
    return switch (signal) {
      case TRACES -> Traces.ofBytes(generator.traces(items, nowNanos).toByteArray());
      case METRICS -> Metrics.ofBytes(generator.metrics(items, nowNanos).toByteArray());
      case LOGS -> Logs.ofBytes(generator.logs(items, nowNanos).toByteArray());
      case PROFILES -> throw new IllegalStateException("the generator makes no profiles");
    };
  }

  /**
   * Hands a request to the pipeline; the permit it holds is released when it settles (not when
   * retried).
   */
  private void send(OtlpData data, int items, int attempt) {
    CompletableFuture<Void> f;
    try {
      f = next.consume(Context.EMPTY, data);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (ok, error) -> {
          if (error == null) {
            sent.addAndGet(items);
            sentCounter.inc(items);
            permits.release();
            return;
          }
          PipelineException pe = PipelineException.classify(error);
          if (pe instanceof RetryableException re && !stopping) {
            Duration backoff = re.throttle().orElseGet(() -> backoff(attempt));
            retryCount.incrementAndGet();
            retryCounter.inc();
            logFailure("retrying in " + backoff.toMillis() + " ms", pe);
            retries.add(new Retry(data, items, attempt + 1, System.nanoTime() + backoff.toNanos()));
          } else {
            if (!pe.isRetryable()) {
              failed.addAndGet(items);
              failedCounter.inc(items);
              logFailure("dropped", pe);
            }
            permits.release();
          }
        });
  }

  private Duration backoff(int attempt) {
    Duration d = config.retryBackoff().multipliedBy(1L << Math.min(attempt, 16));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /** Logs refusals at most once per 10 seconds, with the number not logged since. */
  private void logFailure(String what, PipelineException e) {
    failures.warn(signal + " request refused (" + what + "): " + e.getMessage(), null);
  }
}
