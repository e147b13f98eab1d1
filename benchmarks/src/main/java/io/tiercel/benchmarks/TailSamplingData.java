package io.tiercel.benchmarks;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.builtin.generator.GeneratorReceiverConfig;
import io.tiercel.core.builtin.generator.GeneratorReceiverFactory;
import io.tiercel.core.builtin.generator.TelemetryGenerator;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Processor;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.tailsampling.DecisionEngine;
import io.tiercel.processors.tailsampling.PolicyEvaluators;
import io.tiercel.processors.tailsampling.TailSamplingConfig;
import io.tiercel.processors.tailsampling.TailSamplingFactory;
import io.tiercel.processors.tailsampling.TraceView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data and the config of the tail_sampling benchmarks: realistic traces of {@value
 * #SPANS_PER_TRACE} spans (HTTP services, 4 levels deep, 0.5 % of spans in error, root spans of 5
 * ms to 2 s) arriving in batches of {@value #SPANS_PER_BATCH} spans, where each trace's spans come
 * in two consecutive batches (the first {@value #FIRST_PART} spans, then the rest), and the
 * 5-policy config a user would write.
 */
final class TailSamplingData {
  static final int SPANS_PER_TRACE = 15;
  static final int TRACES_PER_BATCH = 32;
  static final int SPANS_PER_BATCH = SPANS_PER_TRACE * TRACES_PER_BATCH;
  static final int FIRST_PART = 8;

  private TailSamplingData() {}

  /**
   * The processor's YAML: errors, slow traces (root >= 1.8 s), 10 % of the rest, two customer ids,
   * and a drop of short health-check traces (a drop whose sub-policies are evaluated for every
   * trace).
   */
  static Map<String, Object> config(String decisionWait, int numTraces) {
    Map<String, Object> yaml = new LinkedHashMap<>();
    yaml.put("decision_wait", decisionWait);
    yaml.put("num_traces", numTraces);
    yaml.put(
        "policies",
        List.of(
            Map.of(
                "name",
                "errors",
                "type",
                "status_code",
                "status_code",
                Map.of("status_codes", List.of("ERROR"))),
            Map.of("name", "slow", "type", "latency", "latency", Map.of("threshold_ms", 1800)),
            Map.of(
                "name",
                "some-of-the-rest",
                "type",
                "probabilistic",
                "probabilistic",
                Map.of("sampling_percentage", 10)),
            Map.of(
                "name",
                "customers",
                "type",
                "string_attribute",
                "string_attribute",
                Map.of("key", "attr.0", "values", List.of("value-7", "value-42"))),
            Map.of(
                "name",
                "no-health-checks",
                "type",
                "drop",
                "drop",
                Map.of(
                    "drop_sub_policy",
                    List.of(
                        Map.of(
                            "name",
                            "health",
                            "type",
                            "string_attribute",
                            "string_attribute",
                            Map.of("key", "http.route", "values", List.of("/health"))),
                        Map.of(
                            "name",
                            "short",
                            "type",
                            "span_count",
                            "span_count",
                            Map.of("max_spans", 2)))))));
    return yaml;
  }

  /**
   * The config bound from {@code yaml} over the factory's defaults, as the collector's config
   * loader does.
   */
  static TailSamplingConfig bind(Map<String, Object> yaml) throws ConfigException {
    TailSamplingFactory f = new TailSamplingFactory();
    TailSamplingConfig cfg =
        ConfigBinder.bind(f.configClass(), f.createDefaultConfig(), yaml, "processors." + f.type());
    cfg.validate();
    return cfg;
  }

  /** The config's policies in a decision engine, as the processor builds them. */
  static DecisionEngine engine() throws ConfigException {
    return new DecisionEngine(
        PolicyEvaluators.create(
            bind(config("30s", 50_000)).policies(),
            Clock.systemUTC(),
            new Errors(
                org.slf4j.LoggerFactory.getLogger("io.tiercel.benchmarks"),
                "processor tail_sampling")));
  }

  /**
   * A tail_sampling processor built by its factory from {@code yaml}, reading {@code clock}, whose
   * decision thread looks for due traces every {@code tick}.
   */
  static Processor<Traces> processor(
      Map<String, Object> yaml,
      Duration tick,
      Clock clock,
      MetricsRegistry metrics,
      TelemetryConsumer<Traces> next)
      throws ConfigException {
    TailSamplingFactory f = new TailSamplingFactory(tick);
    Settings t = Settings.forTest(Kind.PROCESSOR, ComponentId.of(f.type()), Signal.TRACES);
    Settings s =
        new Settings(
            t.id(), t.kind(), t.signal(), t.logger(), metrics, clock, t.build(), t.shared());
    return f.createTraces(s, bind(yaml), next);
  }

  /** A generator of the benchmark's traces (fixed seed). */
  static TelemetryGenerator generator(long seed) throws ConfigException {
    GeneratorReceiverFactory f = new GeneratorReceiverFactory();
    GeneratorReceiverConfig cfg =
        ConfigBinder.bind(
            f.configClass(),
            f.createDefaultConfig(),
            Map.of(
                "seed",
                seed,
                "services",
                8,
                "traces",
                Map.of(
                    "spans_per_trace",
                    SPANS_PER_TRACE,
                    "depth",
                    4,
                    "attributes_per_span",
                    2,
                    "error_ratio",
                    0.005,
                    "min_duration",
                    "5ms",
                    "max_duration",
                    "2s")),
            "receivers.generator");
    return new TelemetryGenerator(cfg, 7);
  }

  /**
   * Batches in which each trace's spans arrive in two consecutive batches: batch k holds the first
   * {@value #FIRST_PART} spans of trace group k and the rest of group k-1. Not thread-safe.
   */
  static final class Batches {
    private final TelemetryGenerator gen;
    private TracesData pendingRest = TracesData.getDefaultInstance();

    Batches(long seed) throws ConfigException {
      gen = generator(seed);
    }

    /**
     * The next batch ({@value #SPANS_PER_BATCH} spans once the first batch has passed), spans
     * ending at now.
     */
    TracesData next(long nowNanos) {
      TracesData[] parts = split(gen.traces(SPANS_PER_BATCH, nowNanos));
      TracesData out =
          parts[0].toBuilder().addAllResourceSpans(pendingRest.getResourceSpansList()).build();
      pendingRest = parts[1];
      return out;
    }

    /** The rest of the last group's traces (then nothing is pending). */
    TracesData rest() {
      TracesData out = pendingRest;
      pendingRest = TracesData.getDefaultInstance();
      return out;
    }

    /**
     * {@code n} batches that can be replayed in a cycle: batch 0 carries the rest of the last
     * group.
     */
    TracesData[] cycle(int n, long nowNanos) {
      TracesData[][] parts = new TracesData[n][];
      for (int k = 0; k < n; k++) {
        parts[k] = split(gen.traces(SPANS_PER_BATCH, nowNanos));
      }
      TracesData[] out = new TracesData[n];
      for (int k = 0; k < n; k++) {
        out[k] =
            parts[k][0].toBuilder()
                .addAllResourceSpans(parts[(k + n - 1) % n][1].getResourceSpansList())
                .build();
      }
      return out;
    }
  }

  /**
   * [the first {@value #FIRST_PART} spans of each trace in message order, the rest], same
   * resources/scopes.
   */
  static TracesData[] split(TracesData in) {
    Map<ByteString, Integer> seen = new HashMap<>();
    TracesData.Builder first = TracesData.newBuilder();
    TracesData.Builder rest = TracesData.newBuilder();
    for (ResourceSpans rs : in.getResourceSpansList()) {
      ResourceSpans.Builder f = rs.toBuilder().clearScopeSpans();
      ResourceSpans.Builder r = rs.toBuilder().clearScopeSpans();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder fs = ss.toBuilder().clearSpans();
        ScopeSpans.Builder rss = ss.toBuilder().clearSpans();
        for (Span s : ss.getSpansList()) {
          int i = seen.merge(s.getTraceId(), 1, Integer::sum);
          (i <= FIRST_PART ? fs : rss).addSpans(s);
        }
        if (fs.getSpansCount() > 0) {
          f.addScopeSpans(fs);
        }
        if (rss.getSpansCount() > 0) {
          r.addScopeSpans(rss);
        }
      }
      if (f.getScopeSpansCount() > 0) {
        first.addResourceSpans(f);
      }
      if (r.getScopeSpansCount() > 0) {
        rest.addResourceSpans(r);
      }
    }
    return new TracesData[] {first.build(), rest.build()};
  }

  /**
   * Every trace of {@code batches} whole (all its parts), in order of first appearance, framed as
   * the processor buffers them: one fragment per resource and scope, holding that trace's spans
   * only.
   */
  static List<TraceView> wholeTraces(TracesData... batches) {
    Map<ByteString, List<ResourceSpans>> byTrace = new LinkedHashMap<>();
    for (TracesData td : batches) {
      for (ResourceSpans rs : td.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          Map<ByteString, ResourceSpans.Builder> frags = new LinkedHashMap<>();
          for (Span s : ss.getSpansList()) {
            frags
                .computeIfAbsent(
                    s.getTraceId(),
                    k ->
                        rs.toBuilder().clearScopeSpans().addScopeSpans(ss.toBuilder().clearSpans()))
                .getScopeSpansBuilder(0)
                .addSpans(s);
          }
          frags.forEach(
              (id, b) -> byTrace.computeIfAbsent(id, k -> new ArrayList<>()).add(b.build()));
        }
      }
    }
    List<TraceView> out = new ArrayList<>(byTrace.size());
    byTrace.forEach((id, frags) -> out.add(TraceView.of(id, frags)));
    return out;
  }

  /** The number of spans in a message. */
  static int spans(TracesData td) {
    int n = 0;
    for (ResourceSpans rs : td.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }
}
