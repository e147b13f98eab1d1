package io.tiercel.benchmarks.load;

import org.jspecify.annotations.Nullable;

/**
 * One measured tier run and its raw-client baseline from the same pass.
 *
 * @param load what drove it, e.g. "grpc, max, 30s" or "drain 1,000,000"
 * @param spans spans handled in the measured window (ingestion: acknowledged; processing:
 *     pre-filled)
 * @param seconds the measured window
 * @param cpuSeconds the tier process's CPU (utime + stime) over the window
 * @param bytes OTLP request bytes in (ingestion) or Kafka record bytes in (processing) over the
 *     window
 * @param p50Micros latency median, -1 when none was measured
 * @param in spans that went in (ingestion: acknowledged to the client; processing: in the topic)
 * @param out spans that came out (ingestion: read back from Kafka; processing: consumed by the
 *     tier)
 * @param exported processing: spans the tier exported (its otelcol_exporter_sent_spans); ingestion:
 *     = out
 * @param atSink processing: spans the OTLP sink received; ingestion: = out
 * @param failedUnits requests (or record groups) that failed
 * @param steady processing, drain mode: the steady-state window (20 % to 90 % of the drain); null
 *     when not measured
 */
record Result(
    int pass,
    String tier,
    String config,
    String load,
    long spans,
    double seconds,
    double cpuSeconds,
    long peakRssBytes,
    long bytes,
    long p50Micros,
    long p99Micros,
    long in,
    long out,
    long exported,
    long atSink,
    long failedUnits,
    Baseline baseline,
    TierProbe.@Nullable Steady steady) {

  /** The raw Kafka client doing the same job in the tool's process (CPU of the tool's process). */
  record Baseline(String name, long spans, double seconds, double cpuSeconds, long bytes) {
    double spansPerSecond() {
      return spans / seconds;
    }

    double cpuPerMillion() {
      return cpuSeconds / (spans / 1e6);
    }
  }

  /** This result with {@code b} as its baseline. */
  Result withBaseline(Baseline b) {
    return new Result(
        pass,
        tier,
        config,
        load,
        spans,
        seconds,
        cpuSeconds,
        peakRssBytes,
        bytes,
        p50Micros,
        p99Micros,
        in,
        out,
        exported,
        atSink,
        failedUnits,
        b,
        steady);
  }

  /**
   * This result with its steady-state window; {@code toSink} false: the tier exported elsewhere (a
   * file), so the sink's count is the tier's exported count.
   */
  Result withSteady(TierProbe.@Nullable Steady w, boolean toSink) {
    return new Result(
        pass,
        tier,
        config,
        load,
        spans,
        seconds,
        cpuSeconds,
        peakRssBytes,
        bytes,
        p50Micros,
        p99Micros,
        in,
        out,
        exported,
        toSink ? atSink : exported,
        failedUnits,
        baseline,
        w);
  }

  double spansPerSecond() {
    return spans / seconds;
  }

  double megabytesPerSecond() {
    return bytes / 1e6 / seconds;
  }

  double cpuPerMillion() {
    return cpuSeconds / (spans / 1e6);
  }

  /**
   * Nothing lost: every span that went in came out and everything the tier exported reached the
   * sink (both may hold more: at-least-once re-deliveries, an export retried after a timeout), and
   * no request failed.
   */
  boolean reconciled() {
    return in > 0 && out >= in && atSink >= exported && failedUnits == 0;
  }
}
