package io.tiercel.benchmarks.load;

import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** One look at the tier: its CPU and counters. */
record TierSample(long nanos, double cpu, double polled, double accepted, double exported) {
  /** How often a phase samples the tier. */
  static final long INTERVAL_MILLIS = 100;

  static TierSample of(TierProcess tier) throws InterruptedException {
    tier.checkAlive();
    long now = System.nanoTime();
    double cpu = tier.cpuSeconds();
    try {
      return new TierSample(
          now,
          cpu,
          tier.counter("otelcol_kafka_receiver_records", ""),
          tier.counter("otelcol_receiver_accepted_spans", ""),
          tier.counter("otelcol_exporter_sent_spans", ""));
    } catch (IOException e) {
      return new TierSample(now, cpu, 0, 0, 0); // the endpoint is not up yet
    }
  }

  /**
   * The tier finished {@code spans}: accepted them all (exported, or dropped on purpose) and the
   * sink has what it exported (it may hold more than the tier counted as exported: a retry after a
   * timed-out export). Without a sink (a config that exports elsewhere) accepting them all is
   * enough.
   */
  boolean finished(long spans, @Nullable OtlpSink sink) {
    return accepted >= spans && (sink == null || sink.spans() >= exported);
  }

  /**
   * Samples every {@link #INTERVAL_MILLIS} until the tier finished {@code spans}; null after {@code
   * limit}.
   */
  static TierSample awaitFinished(TierProcess tier, OtlpSink sink, long spans, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      TierSample now = TierSample.of(tier);
      if (now.finished(spans, sink)) {
        return now;
      }
      Thread.sleep(INTERVAL_MILLIS);
    }
    return null;
  }
}
