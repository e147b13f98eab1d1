package io.tiercel.core.service;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-component internal metrics the service adds around every receiver, processor and
 * exporter, with the OpenTelemetry Collector's names and labels:
 *
 * <ul>
 *   <li>{@code otelcol_receiver_accepted_<items>} / {@code otelcol_receiver_refused_<items>} {@code
 *       {receiver, transport}}: items a receiver handed on, by the outcome of the downstream
 *       future;
 *   <li>{@code otelcol_processor_incoming_items} / {@code otelcol_processor_outgoing_items} {@code
 *       {processor, otel_signal}}: items into a processor and items it passed on;
 *   <li>{@code otelcol_exporter_sent_<items>} / {@code otelcol_exporter_send_failed_<items>} {@code
 *       {exporter}}: items by the outcome of the exporter's future.
 * </ul>
 *
 * {@code <items>} is {@code spans}, {@code metric_points}, {@code log_records} or {@code
 * profile_samples}; counters are exposed with {@code _total}. Items are counted with {@link
 * OtlpData#itemCount()} (a wire walk when only bytes are held). Labelled data points are looked up
 * once, when the graph is built; a request costs one callback object.
 */
final class Instruments {
  private Instruments() {}

  /**
   * Counts what a receiver hands on under {@code transport} (the factory's label); {@link
   * TelemetryConsumer#forTransport} answers the same counting for another transport label, so a
   * receiver serving gRPC and HTTP labels each request with the transport it came by.
   */
  static <T extends OtlpData> TelemetryConsumer<T> receiver(
      MetricsRegistry m, ComponentId id, String transport, Signal s, TelemetryConsumer<T> next) {
    return new ReceiverOutcome<>(m, id, s, next).forTransport(transport);
  }

  private static CounterDataPoint receiverCounter(
      MetricsRegistry m, String outcome, String help, ComponentId id, String transport, Signal s) {
    String item = s.itemName();
    return m.counter(
            "otelcol_receiver_" + outcome + "_" + item,
            "Number of " + item + " " + help,
            "receiver",
            "transport")
        .labelValues(id.toString(), transport);
  }

  /** The receiver's counting per transport label, each made on first use and kept. */
  private static final class ReceiverOutcome<T extends OtlpData> {
    private final MetricsRegistry metrics;
    private final ComponentId id;
    private final Signal signal;
    private final TelemetryConsumer<T> next;
    private final ConcurrentHashMap<String, TelemetryConsumer<T>> byTransport =
        new ConcurrentHashMap<>();

    ReceiverOutcome(
        MetricsRegistry metrics, ComponentId id, Signal signal, TelemetryConsumer<T> next) {
      this.metrics = metrics;
      this.id = id;
      this.signal = signal;
      this.next = next;
    }

    TelemetryConsumer<T> forTransport(String transport) {
      TelemetryConsumer<T> c = byTransport.get(transport);
      return c != null ? c : byTransport.computeIfAbsent(transport, this::create);
    }

    private TelemetryConsumer<T> create(String transport) {
      CounterDataPoint ok =
          receiverCounter(
              metrics, "accepted", "successfully pushed into the pipeline.", id, transport, signal);
      CounterDataPoint failed =
          receiverCounter(
              metrics,
              "refused",
              "that could not be pushed into the pipeline.",
              id,
              transport,
              signal);
      return new Outcome<>(next, ok, failed, next.mutatesData()) {
        @Override
        public TelemetryConsumer<T> forTransport(String other) {
          return ReceiverOutcome.this.forTransport(other);
        }
      };
    }
  }

  static <T extends OtlpData> TelemetryConsumer<T> exporter(
      MetricsRegistry m, ComponentId id, Signal s, TelemetryConsumer<T> exporter) {
    String item = s.itemName();
    CounterDataPoint ok =
        m.counter(
                "otelcol_exporter_sent_" + item,
                "Number of " + item + " successfully sent to destination.",
                "exporter")
            .labelValues(id.toString());
    CounterDataPoint failed =
        m.counter(
                "otelcol_exporter_send_failed_" + item,
                "Number of " + item + " in failed attempts to send to destination.",
                "exporter")
            .labelValues(id.toString());
    return new Outcome<>(exporter, ok, failed, exporter.mutatesData());
  }

  static <T extends OtlpData> TelemetryConsumer<T> processorIncoming(
      MetricsRegistry m,
      ComponentId id,
      Signal s,
      TelemetryConsumer<T> processor,
      boolean mutates) {
    CounterDataPoint n =
        m.counter(
                "otelcol_processor_incoming_items",
                "Number of items passed to the processor.",
                "processor",
                "otel_signal")
            .labelValues(id.toString(), s.id());
    return new Count<>(processor, n, mutates);
  }

  static <T extends OtlpData> TelemetryConsumer<T> processorOutgoing(
      MetricsRegistry m, ComponentId id, Signal s, TelemetryConsumer<T> next) {
    CounterDataPoint n =
        m.counter(
                "otelcol_processor_outgoing_items",
                "Number of items emitted from the processor.",
                "processor",
                "otel_signal")
            .labelValues(id.toString(), s.id());
    return new Count<>(next, n, next.mutatesData());
  }

  /** Counts items into one of two counters by the outcome of the downstream future. */
  private static class Outcome<T extends OtlpData> implements TelemetryConsumer<T> {
    private final TelemetryConsumer<T> next;
    private final CounterDataPoint ok;
    private final CounterDataPoint failed;
    private final boolean mutates;

    Outcome(
        TelemetryConsumer<T> next, CounterDataPoint ok, CounterDataPoint failed, boolean mutates) {
      this.next = next;
      this.ok = ok;
      this.failed = failed;
      this.mutates = mutates;
    }

    @Override
    public CompletableFuture<Void> consume(Context ctx, T data) {
      final int n;
      try {
        n = data.itemCount();
      } catch (MalformedDataException e) { // refused, nothing countable
        return TelemetryConsumer.failed(PipelineException.classify(e));
      }
      CompletableFuture<Void> f;
      try {
        f = next.consume(ctx, data);
      } catch (RuntimeException e) {
        failed.inc(n);
        return TelemetryConsumer.failed(e);
      }
      if (f.isDone()) { // synchronous stage: count now, no callback
        (f.isCompletedExceptionally() ? failed : ok).inc(n);
        return f;
      }
      return f.whenComplete((v, e) -> (e == null ? ok : failed).inc(n));
    }

    @Override
    public boolean mutatesData() {
      return mutates;
    }
  }

  /** Counts items handed to the next stage, whatever the outcome. */
  private static final class Count<T extends OtlpData> implements TelemetryConsumer<T> {
    private final TelemetryConsumer<T> next;
    private final CounterDataPoint n;
    private final boolean mutates;

    Count(TelemetryConsumer<T> next, CounterDataPoint n, boolean mutates) {
      this.next = next;
      this.n = n;
      this.mutates = mutates;
    }

    @Override
    public CompletableFuture<Void> consume(Context ctx, T data) {
      try {
        n.inc(data.itemCount());
        return next.consume(ctx, data);
      } catch (RuntimeException e) {
        return TelemetryConsumer.failed(e);
      }
    }

    @Override
    public boolean mutatesData() {
      return mutates;
    }
  }
}
