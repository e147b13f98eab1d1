package io.tiercel.distributions.demo;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the demo counts at each stage, read from the three services' own metrics (the generator's,
 * the ingestion tier's and the processing tier's registries) and from the file the processing tier
 * writes: the numbers its progress line and its summary reconcile.
 */
final class DemoCounts {
  private DemoCounts() {}

  /** Sum of a counter's (or gauge's) data points whose labels pass {@code labels}. */
  static long sum(MetricsRegistry m, String name, Predicate<DataPointSnapshot> labels) {
    double total = 0;
    for (MetricSnapshot snap : m.prometheus().scrape()) {
      if (!snap.getMetadata().getName().equals(name)) {
        continue;
      }
      if (snap instanceof CounterSnapshot c) {
        for (var p : c.getDataPoints()) {
          total += labels.test(p) ? p.getValue() : 0;
        }
      } else if (snap instanceof GaugeSnapshot g) {
        for (var p : g.getDataPoints()) {
          total += labels.test(p) ? p.getValue() : 0;
        }
      }
    }
    return Math.round(total);
  }

  private static Predicate<DataPointSnapshot> label(String key, String value) {
    return p -> value.equals(p.getLabels().get(key));
  }

  static long sent(MetricsRegistry client, Signal s) {
    return sum(client, "otelcol_generator_sent_items", label("signal", s.id()));
  }

  static long ingested(MetricsRegistry ingestion, Signal s) {
    return sum(ingestion, "otelcol_receiver_accepted_" + s.itemName(), p -> true);
  }

  static long inKafka(MetricsRegistry ingestion, Signal s) {
    return sum(ingestion, "otelcol_exporter_sent_" + s.itemName(), p -> true);
  }

  /** The signals the demo's generator sends (it makes no profiles). */
  static final List<Signal> SIGNALS = List.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);

  static long consumed(MetricsRegistry processing, Signal s) {
    return sum(processing, "otelcol_receiver_accepted_" + s.itemName(), p -> true);
  }

  static long filtered(MetricsRegistry processing, Signal s) {
    String item =
        switch (s) {
          case TRACES -> "spans";
          case METRICS -> "datapoints";
          case LOGS -> "logs";
          case PROFILES -> throw new IllegalArgumentException("the demo sends no profiles");
        };
    return sum(processing, "otelcol_processor_filter_" + item + "_filtered", p -> true);
  }

  static long exported(MetricsRegistry processing, Signal s) {
    return sum(processing, "otelcol_exporter_sent_" + s.itemName(), p -> true);
  }

  /** The prefix of tail_sampling's own metrics. */
  static final String TAIL_SAMPLING = "otelcol_processor_tail_sampling_";

  /** Spans into tail_sampling (the service's count in front of the processor). */
  static long samplingIn(MetricsRegistry processing) {
    return sum(processing, "otelcol_processor_incoming_items", label("processor", "tail_sampling"));
  }

  /**
   * Spans tail_sampling passed on: the spans of the sampled traces (late spans of sampled traces
   * included).
   */
  static long samplingOut(MetricsRegistry processing) {
    return sum(processing, "otelcol_processor_outgoing_items", label("processor", "tail_sampling"));
  }

  /** Traces decided, by the final decision. */
  static long decided(MetricsRegistry processing, boolean sampled) {
    return sum(
        processing,
        TAIL_SAMPLING + "global_count_traces_sampled",
        label("sampled", Boolean.toString(sampled)));
  }

  /** Traces a policy said sample (or not) for. */
  static long policy(MetricsRegistry processing, String policy, boolean sampled) {
    return sum(
        processing,
        TAIL_SAMPLING + "count_traces_sampled",
        label("policy", policy).and(label("sampled", Boolean.toString(sampled))));
  }

  /** Spans dropped by a sampling decision; exact once nothing is buffered (no trace on memory). */
  static long notSampled(MetricsRegistry processing, Signal s) {
    return s == Signal.TRACES ? samplingIn(processing) - samplingOut(processing) : 0;
  }

  static boolean drained(
      MetricsRegistry client, MetricsRegistry ingestion, MetricsRegistry processing) {
    for (Signal s : SIGNALS) {
      if (inKafka(ingestion, s) < sent(client, s)) {
        return false;
      }
      if (s == Signal.TRACES) {
        // a record is accepted only once its traces were decided (and the sampled ones exported)
        if (consumed(processing, s) < inKafka(ingestion, s)
            || sum(processing, TAIL_SAMPLING + "sampling_traces_on_memory", p -> true) > 0
            || exported(processing, s) < samplingOut(processing)) {
          return false;
        }
      } else if (exported(processing, s) + filtered(processing, s) < inKafka(ingestion, s)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Spans in the file exporter's output (OTLP JSON lines; the traces lines are the {@code
   * resourceSpans} ones).
   */
  static long spansInFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    long n = 0;
    try (var lines = Files.lines(file)) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.startsWith("{\"resourceSpans\"")) {
          TracesData t = OtlpJson.decodeTraces(line.getBytes(StandardCharsets.UTF_8));
          for (var rs : t.getResourceSpansList()) {
            for (var ss : rs.getScopeSpansList()) {
              n += ss.getSpansCount();
            }
          }
        }
      }
    }
    return n;
  }
}
