package io.tiercel.benchmarks;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Processor;
import io.tiercel.core.config.GoDuration;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * tail_sampling's decision latencies under a fixed span rate, with the real clock and the
 * processor's own decision thread: the 5-policy config of {@link TailSamplingData}, 480-span
 * batches sent as OTLP bytes (as the Kafka receiver hands them over) at an even pace, each trace
 * split over two consecutive batches.
 *
 * <ul>
 *   <li>{@code sampling_decision_latency}: the processor's histogram (policy evaluation per trace,
 *       in microseconds), read from its metrics registry; p50/p99 are the bucket holding that rank.
 *   <li>due to delivered: for every sampled trace, the time its spans reached the next consumer
 *       minus its due time (first span sent + decision_wait); exact, from {@code System.nanoTime}.
 *   <li>due to acknowledged: for every batch, the time its future completed (every trace it touched
 *       decided and, if sampled, delivered) minus the due time of its youngest trace (batch sent +
 *       decision_wait).
 * </ul>
 *
 * Nothing lost: every batch must be acknowledged without error, every delivered trace must carry
 * all its sent spans, and the sampled + not sampled counts must add up to the traces sent.
 *
 * <p>Usage: {@code TailSamplingLatency [spans/s, 20000] [seconds, 30] [decision_wait, 5s] [tick,
 * 1s]}.
 */
public final class TailSamplingLatency {
  private TailSamplingLatency() {}

  /** Per trace: first sent, spans sent, first delivered, spans delivered. */
  private static final class TraceTimes {
    long firstSent;
    int sent;
    long delivered;
    int deliveredSpans;
  }

  /**
   * One run's figures.
   *
   * @param summary what was sent, sampled and delivered
   * @param rows the table rows (measure, p50, p99, max, n)
   * @param sentSpans spans sent
   * @param traces traces sent
   * @param sampledTraces traces sampled (each delivered with all its spans)
   * @param deliveredSpans spans delivered downstream
   * @param decisions observations in {@code sampling_decision_latency}
   */
  record Result(
      String summary,
      List<String> rows,
      long sentSpans,
      int traces,
      long sampledTraces,
      long deliveredSpans,
      long decisions) {
    String table() {
      return summary
          + "\n| measure | p50 | p99 | max | n |\n| --- | --- | --- | --- | --- |\n"
          + String.join("\n", rows);
    }
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    String wait = args.length > 2 ? args[2] : "5s";
    String tick = args.length > 3 ? args[3] : "1s";
    System.out.println(run(rate, seconds, wait, tick).table());
  }

  /**
   * Sends {@code rate} spans/s for {@code seconds} s and waits for every decision; throws if
   * anything is lost.
   */
  static Result run(int rate, int seconds, String wait, String tick) throws Exception {
    long waitNanos = GoDuration.parse(wait).toNanos();

    Map<ByteString, TraceTimes> traces = new HashMap<>();
    Object lock = new Object();
    MetricsRegistry metrics = new MetricsRegistry();
    Processor<Traces> p =
        TailSamplingData.processor(
            TailSamplingData.config(wait, 1_000_000),
            GoDuration.parse(tick),
            Clock.systemUTC(),
            metrics,
            (ctx, d) -> {
              long now = System.nanoTime();
              synchronized (lock) {
                forEachSpan(
                    d.message(),
                    s -> {
                      TraceTimes t = traces.get(s.getTraceId());
                      if (t.deliveredSpans++ == 0) {
                        t.delivered = now;
                      }
                    });
              }
              return TelemetryConsumer.done();
            });
    p.start(null);

    // Everything the sender needs is made before the clock starts: OTLP bytes per batch, and the
    // traces whose
    // first spans each batch carries (the last message carries only the rest of the previous
    // traces).
    TailSamplingData.Batches source = new TailSamplingData.Batches(1);
    int batches = (int) ((long) rate * seconds / TailSamplingData.SPANS_PER_BATCH);
    byte[][] payloads = new byte[batches + 1][];
    List<List<TraceTimes>> firstIn = new ArrayList<>();
    long sentSpans = 0;
    for (int k = 0; k <= batches; k++) {
      TracesData td =
          k < batches ? source.next(System.currentTimeMillis() * 1_000_000L) : source.rest();
      payloads[k] = td.toByteArray();
      List<TraceTimes> first = new ArrayList<>();
      forEachSpan(
          td,
          s -> {
            TraceTimes t = traces.computeIfAbsent(s.getTraceId(), id -> new TraceTimes());
            if (t.sent++ == 0) {
              first.add(t);
            }
          });
      firstIn.add(first);
      sentSpans += TailSamplingData.spans(td);
    }

    long interval = TimeUnit.SECONDS.toNanos(1) * TailSamplingData.SPANS_PER_BATCH / rate;
    List<CompletableFuture<Void>> acks = new ArrayList<>(batches + 1);
    long[] ackLatency = new long[batches + 1];
    long[] consumeTime = new long[batches + 1];
    long[] blockedTime = new long[batches + 1];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    threads.setThreadContentionMonitoringEnabled(true);
    long sender = Thread.currentThread().getId();
    long t0 = System.nanoTime();
    for (int k = 0; k <= batches; k++) {
      long due = t0 + k * interval;
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        LockSupport.parkNanos(due - now);
      }
      long sent = System.nanoTime();
      // read by the sink after the processor's lock ordered the consume before the decision
      for (TraceTimes t : firstIn.get(k)) {
        t.firstSent = sent;
      }
      int slot = k;
      long blocked0 = threads.getThreadInfo(sender).getBlockedTime();
      long c0 = System.nanoTime();
      CompletableFuture<Void> ack = p.consume(Context.EMPTY, Traces.ofBytes(payloads[k]));
      consumeTime[k] = System.nanoTime() - c0;
      blockedTime[k] =
          TimeUnit.MILLISECONDS.toNanos(threads.getThreadInfo(sender).getBlockedTime() - blocked0);
      acks.add(ack.whenComplete((v, e) -> ackLatency[slot] = System.nanoTime() - sent - waitNanos));
      payloads[k] = null;
    }
    long sendNanos = System.nanoTime() - t0;
    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
        .get(waitNanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
    p.shutdown(Deadline.in(Duration.ofSeconds(10)));

    // Nothing lost.
    long sampledTraces =
        (long)
            counter(metrics, "otelcol_processor_tail_sampling_global_count_traces_sampled", "true");
    long notSampled =
        (long)
            counter(
                metrics, "otelcol_processor_tail_sampling_global_count_traces_sampled", "false");
    long[] deliveredLatency;
    long deliveredSpans = 0;
    synchronized (lock) {
      List<Long> lat = new ArrayList<>();
      for (TraceTimes t : traces.values()) {
        if (t.deliveredSpans > 0) {
          if (t.deliveredSpans != t.sent) {
            throw new IllegalStateException(
                "a sampled trace was delivered with "
                    + t.deliveredSpans
                    + " of its "
                    + t.sent
                    + " spans");
          }
          deliveredSpans += t.deliveredSpans;
          lat.add(t.delivered - t.firstSent - waitNanos);
        }
      }
      deliveredLatency = lat.stream().mapToLong(Long::longValue).sorted().toArray();
      if (deliveredLatency.length != sampledTraces || sampledTraces + notSampled != traces.size()) {
        throw new IllegalStateException(
            "sent "
                + traces.size()
                + " traces; decided "
                + sampledTraces
                + " sampled + "
                + notSampled
                + " not sampled; delivered "
                + deliveredLatency.length);
      }
    }
    Arrays.sort(ackLatency);
    Arrays.sort(consumeTime);
    Arrays.sort(blockedTime);

    String summary =
        String.format(
            Locale.ROOT,
            "rate %,d spans/s for %d s (sent in %.1f s), decision_wait %s, tick %s: %,d spans in"
                + " %,d traces; sampled %,d traces (%.1f %%), %,d spans delivered, 0 lost",
            rate,
            seconds,
            sendNanos / 1e9,
            wait,
            tick,
            sentSpans,
            traces.size(),
            sampledTraces,
            100.0 * sampledTraces / traces.size(),
            deliveredSpans);
    List<String> rows = new ArrayList<>();
    long[] decisions = new long[1];
    rows.add(decisionLatency(metrics, decisions));
    rows.add(row("due -> delivered (sampled traces)", deliveredLatency));
    rows.add(row("due -> acknowledged (batches)", ackLatency));
    rows.add(row("consume call (the sender's thread, per batch)", consumeTime));
    rows.add(row("of which blocked on a monitor (JMX, ms resolution)", blockedTime));
    return new Result(
        summary, rows, sentSpans, traces.size(), sampledTraces, deliveredSpans, decisions[0]);
  }

  private static String row(String measure, long[] sorted) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %,d |",
        measure,
        ms(sorted, 0.50),
        ms(sorted, 0.99),
        ms(sorted, 1.0),
        sorted.length);
  }

  private static void forEachSpan(TracesData td, java.util.function.Consumer<Span> action) {
    for (ResourceSpans rs : td.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ss.getSpansList().forEach(action);
      }
    }
  }

  private static String ms(long[] sorted, double q) {
    long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    return String.format(Locale.ROOT, "%.1f ms", v / 1e6);
  }

  private static double counter(MetricsRegistry m, String name, String sampled) {
    return m.counter(name, "", "processor", "sampled").labelValues("tail_sampling", sampled).get();
  }

  /**
   * p50 and p99 of the processor's sampling_decision_latency histogram, as the bucket holding the
   * rank.
   */
  private static String decisionLatency(MetricsRegistry m, long[] count) {
    for (MetricSnapshot s : m.prometheus().scrape()) {
      if (s instanceof HistogramSnapshot h
          && h.getMetadata()
              .getName()
              .equals("otelcol_processor_tail_sampling_sampling_decision_latency")) {
        var dp = h.getDataPoints().get(0);
        ClassicHistogramBuckets b = dp.getClassicBuckets();
        long total = dp.getCount();
        long inBuckets = 0;
        for (int i = 0; i < b.size(); i++) {
          inBuckets += b.getCount(i);
        }
        if (inBuckets != total) {
          throw new IllegalStateException(
              "bucket counts add up to " + inBuckets + ", not " + total);
        }
        count[0] = total;
        return String.format(
            Locale.ROOT,
            "| sampling_decision_latency (per trace) | %s | %s | mean %.1f us | %,d |",
            bucket(b, total, 0.50),
            bucket(b, total, 0.99),
            dp.getSum() / total,
            total);
      }
    }
    throw new IllegalStateException("no sampling_decision_latency histogram");
  }

  private static String bucket(ClassicHistogramBuckets b, long total, double q) {
    long rank = (long) Math.ceil(q * total);
    long cumulative = 0;
    for (int i = 0; i < b.size(); i++) {
      cumulative += b.getCount(i);
      if (cumulative >= rank) {
        double lo = i == 0 ? 0 : b.getUpperBound(i - 1);
        return String.format(Locale.ROOT, "%s-%s us", fmt(lo), fmt(b.getUpperBound(i)));
      }
    }
    return "?";
  }

  private static String fmt(double v) {
    return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.0f", v);
  }
}
