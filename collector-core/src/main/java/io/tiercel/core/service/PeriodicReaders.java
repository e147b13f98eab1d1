package io.tiercel.core.service;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.ExporterFactory;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
import io.tiercel.core.config.TelemetryConfig.PeriodicReader;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.core.telemetry.OtlpSnapshot;
import io.tiercel.core.util.DaemonThreads;
import io.tiercel.core.util.ThrottledLogger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code periodic} readers of {@code service.telemetry.metrics}: every interval, one thread
 * collects the internal metrics ({@link OtlpSnapshot}) and hands them to each reader's OTLP
 * exporter, waiting at most the reader's timeout; a failed export is logged (throttled) and the
 * next collection, cumulative, carries the counts again. Shutdown sends a last collection, so the
 * backend sees the final counts. The exporters count into a registry of their own: the service's
 * own telemetry is not a pipeline and does not show as one.
 */
final class PeriodicReaders {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicReaders.class);

  private final List<PeriodicReader> readers;
  private final MetricsRegistry metrics;
  private final Map<String, String> resource;
  private final Clock clock;
  private final BuildInfo build;
  private final SharedComponents shared;
  private final ThrottledLogger failures = new ThrottledLogger(LOG, Duration.ofMinutes(1));
  private final List<Exporter<Metrics>> exporters = new ArrayList<>();
  private ScheduledExecutorService timer; // confined to the service's lock
  private long startNanos;

  PeriodicReaders(
      List<PeriodicReader> readers,
      MetricsRegistry metrics,
      Clock clock,
      BuildInfo build,
      SharedComponents shared) {
    this.readers = List.copyOf(readers);
    this.metrics = metrics;
    this.clock = clock;
    this.build = build;
    this.shared = shared;
    Map<String, String> r = new LinkedHashMap<>();
    r.put("service.name", build.command());
    r.put("service.version", build.version());
    r.put("service.instance.id", UUID.randomUUID().toString());
    this.resource = Map.copyOf(r);
  }

  /** Creates and starts the exporters, then the timer. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void start(Host host) throws Exception {
    startNanos = nanos(clock.instant());
    for (PeriodicReader r : readers) {
      ExporterFactory f = (ExporterFactory) r.exporter().factory();
      Settings s =
          new Settings(
              r.exporter().id(),
              Kind.EXPORTER,
              Signal.METRICS,
              LoggerFactory.getLogger("io.tiercel.service.telemetry." + r.exporter().id()),
              new MetricsRegistry(),
              clock,
              build,
              shared);
      Exporter<Metrics> e = f.createMetrics(s, r.exporter().config());
      exporters.add(e);
      e.start(host);
    }
    timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("service/telemetry", "reader"));
    for (int i = 0; i < readers.size(); i++) {
      int index = i;
      long every = readers.get(i).interval().toMillis();
      timer.scheduleAtFixedRate(() -> export(index), every, every, TimeUnit.MILLISECONDS);
    }
    LOG.info("Sending internal metrics with {} periodic reader(s)", readers.size());
  }

  private void export(int index) {
    PeriodicReader r = readers.get(index);
    try {
      Metrics data =
          Metrics.of(
              OtlpSnapshot.convert(
                  metrics.prometheus().scrape(), resource, startNanos, nanos(clock.instant())));
      exporters
          .get(index)
          .consume(Context.EMPTY, data)
          .get(r.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      failures.warn(r.path() + ": sending the internal metrics failed: " + e.getCause(), null);
    } catch (TimeoutException e) {
      failures.warn(
          r.path() + ": sending the internal metrics took over " + r.timeout().toMillis() + " ms",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failures.warn(r.path() + ": collecting the internal metrics failed", e);
    }
  }

  /**
   * Stops the timer, sends a last collection to every reader (within the deadline) and shuts the
   * exporters down; returns the errors met.
   */
  List<Throwable> shutdown(Deadline deadline) {
    List<Throwable> errors = new ArrayList<>();
    if (timer != null) {
      timer.shutdown();
      try {
        timer.awaitTermination(Math.max(0, deadline.remainingMillis()), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (int i = 0; i < exporters.size(); i++) {
        export(i);
      }
      timer = null;
    }
    for (Exporter<Metrics> e : exporters) {
      try {
        e.shutdown(deadline);
      } catch (Exception ex) {
        errors.add(ex);
      }
    }
    exporters.clear();
    return errors;
  }

  private static long nanos(Instant t) {
    return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
  }
}
