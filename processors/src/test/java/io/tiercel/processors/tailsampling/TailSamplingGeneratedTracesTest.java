package io.tiercel.processors.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.processors.YamlBinder;
import io.tiercel.testing.TestClock;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.consumer.RecordingSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Generated traces through the processor, each resource sent as its own request (so the spans of a
 * trace come in several batches): the kept set is exactly the one the policies' rules give, every
 * kept trace complete, and a redelivery of the same data follows the cached decisions.
 */
class TailSamplingGeneratedTracesTest {
  private static final byte[] SALT = "default-hash-seed".getBytes(StandardCharsets.UTF_8);

  /** What the expectations read from a generated trace. */
  private static final class Facts {
    boolean error;
    boolean health;
    boolean payment;
    boolean gold;
    long startNanos = Long.MAX_VALUE;
    long endNanos = Long.MIN_VALUE;
    int spans;
    long bytes; // the protobuf size of its fragment in the request it arrives in

    boolean sampledByHash(ByteString id, double ratio) {
      return Long.compareUnsigned(
              PolicyEvaluators.hashTraceId(SALT, id), PolicyEvaluators.threshold(ratio))
          <= 0;
    }
  }

  /** The facts per trace, in the order the processor first sees the traces (request by request). */
  private static Map<ByteString, Facts> facts(TracesData data) {
    Map<ByteString, Facts> out = new LinkedHashMap<>();
    for (ResourceSpans rs : data.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span sp : ss.getSpansList()) {
          Facts f = out.computeIfAbsent(sp.getTraceId(), k -> new Facts());
          f.error |= sp.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
          f.gold |= "tier=gold,vendor=a".equals(sp.getTraceState());
          f.startNanos = Math.min(f.startNanos, sp.getStartTimeUnixNano());
          f.endNanos = Math.max(f.endNanos, sp.getEndTimeUnixNano());
          f.spans++;
          for (KeyValue kv : sp.getAttributesList()) {
            f.health |=
                kv.getKey().equals("url.path") && kv.getValue().getStringValue().equals("/health");
            f.payment |=
                kv.getKey().equals("http.route")
                    && kv.getValue().getStringValue().startsWith("/api/payment/");
          }
        }
      }
      TraceFragments.group(TracesData.newBuilder().addResourceSpans(rs).build())
          .forEach(
              (id, frags) -> {
                for (ResourceSpans frag : frags) {
                  out.get(id).bytes += TraceView.fieldSize(frag.getSerializedSize());
                }
              });
    }
    return out;
  }

  /**
   * Runs the data through a processor with {@code cfg}, one request per resource; returns the spans
   * kept per trace.
   */
  private static Map<String, Integer> run(TailSamplingConfig cfg, TracesData data)
      throws Exception {
    TestClock clock = TestClock.create();
    RecordingSink<Traces> sink = RecordingSink.create();
    Settings s =
        new Settings(
            ComponentId.parse("tail_sampling"),
            Kind.PROCESSOR,
            Signal.TRACES,
            org.slf4j.LoggerFactory.getLogger("test"),
            new MetricsRegistry(),
            clock,
            BuildInfo.DEFAULT,
            io.tiercel.core.component.SharedComponents.create());
    TailSamplingProcessor proc = new TailSamplingProcessor(s, cfg, sink, Duration.ofMillis(2));
    proc.start(TestHost.create());
    try {
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (ResourceSpans rs : data.getResourceSpansList()) {
        futures.add(
            proc.consume(
                Context.EMPTY, Traces.of(TracesData.newBuilder().addResourceSpans(rs).build())));
      }
      assertThat(futures).allMatch(f -> !f.isDone());
      clock.advance(Duration.ofSeconds(5));
      for (CompletableFuture<Void> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
      Map<String, Integer> kept = new HashMap<>();
      for (Traces t : sink.data()) {
        TestData.spansByTrace(t.message()).forEach((k, v) -> kept.merge(k, v, Integer::sum));
      }
      Map<String, Integer> spansByTrace = TestData.spansByTrace(data);
      for (Map.Entry<String, Integer> e : kept.entrySet()) {
        assertThat(e.getValue())
            .as(e.getKey())
            .isEqualTo(spansByTrace.get(e.getKey())); // complete traces
      }

      // the same data again (a redelivery after a crash): every span follows the cached decision at
      // once
      long before = sink.itemCount();
      proc.consume(Context.EMPTY, Traces.of(data)).get(10, TimeUnit.SECONDS);
      assertThat(sink.itemCount() - before)
          .isEqualTo(kept.values().stream().mapToLong(Integer::longValue).sum());
      return kept;
    } finally {
      proc.shutdown(Deadline.in(Duration.ofSeconds(5)));
    }
  }

  @Test
  void keepsExactlyTheExpectedTracesWithAllTheirSpans() throws Exception {
    TailSamplingConfig cfg =
        YamlBinder.bind(
            TailSamplingConfig.DEFAULT,
            YamlBinder.yaml(
                """
                decision_wait: 5s
                decision_cache: {sampled_cache_size: 1000, non_sampled_cache_size: 1000}
                policies:
                  - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
                  - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 20}}
                  - name: no-health
                    type: drop
                    drop:
                      drop_sub_policy:
                        - {name: health, type: string_attribute, string_attribute: {key: url.path, values: [/health]}}
                """));
    TracesData data = TestData.tracesData(300, 4, 42);
    Map<ByteString, Facts> facts = facts(data);
    Set<String> expected = new HashSet<>();
    for (Map.Entry<ByteString, Facts> e : facts.entrySet()) {
      Facts f = e.getValue();
      if (!f.health && (f.error || f.sampledByHash(e.getKey(), 0.2))) {
        expected.add(TestData.hex(e.getKey()));
      }
    }
    assertThat(facts).hasSize(300);
    assertThat(facts.values()).anyMatch(f -> f.error).anyMatch(f -> f.health);

    assertThat(run(cfg, data).keySet()).isEqualTo(expected);
  }

  /**
   * Sets a tracestate on every span: gold on every 4th trace, silver on the next, an invalid gold
   * on some.
   */
  private static TracesData withTraceStates(TracesData in) {
    Map<ByteString, String> states = new HashMap<>();
    int k = 0;
    for (ByteString id : facts(in).keySet()) {
      String ts =
          k % 4 == 1
              ? "tier=gold,vendor=a"
              : k % 4 == 2
                  ? "tier=silver"
                  : k % 12 == 3
                      ? "tier=gold,tier=gold"
                      : ""; // a duplicate key: invalid, so not gold
      states.put(id, ts);
      k++;
    }
    TracesData.Builder b = in.toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder sp : ss.getSpansBuilderList()) {
          sp.setTraceState(states.get(sp.getTraceId()));
        }
      }
    }
    return b.build();
  }

  @Test
  void compositeAndDropAndInvertAndByteBudgetCombinationsKeepExactlyTheExpectedSet()
      throws Exception {
    TracesData data = withTraceStates(TestData.tracesData(400, 4, 11));
    Map<ByteString, Facts> facts = facts(data);
    long avgBytes = facts.values().stream().mapToLong(f -> f.bytes).sum() / facts.size();
    long bytesPerSecond =
        3 * avgBytes; // the burst (2x) holds about six traces; the clock stands still
    TailSamplingConfig cfg =
        YamlBinder.bind(
            TailSamplingConfig.DEFAULT,
            YamlBinder.yaml(
                """
                decision_wait: 5s
                decision_cache: {sampled_cache_size: 1000, non_sampled_cache_size: 1000}
                policies:
                  - name: budgets
                    type: composite
                    composite:
                      max_total_spans_per_second: 40
                      policy_order: [errors, gold, rest]
                      composite_sub_policy:
                        - {name: rest, type: always_sample}
                        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
                        - {name: gold, type: trace_state, trace_state: {key: tier, values: [gold]}}
                      rate_allocation:
                        - {policy: errors, percent: 50}
                        - {policy: gold, percent: 25}
                  - name: some-healthy
                    type: and
                    and:
                      and_sub_policy:
                        - {name: hash, type: probabilistic, probabilistic: {sampling_percentage: 30}}
                        - name: not-failed
                          type: numeric_attribute
                          numeric_attribute: {key: http.response.status_code, min_value: 500, max_value: 599,
                                              invert_match: true}
                  - name: slow-within-bytes
                    type: and
                    and:
                      and_sub_policy:
                        - {name: slow, type: latency, latency: {threshold_ms: 150}}
                        - {name: bytes, type: bytes_limiting, bytes_limiting: {bytes_per_second: %d}}
                  - name: never-payments
                    type: string_attribute
                    string_attribute: {key: http.route, values: ['^/api/payment/'], enabled_regex_matching: true,
                                       invert_match: true}
                  - name: no-health
                    type: drop
                    drop:
                      drop_sub_policy:
                        - {name: health, type: string_attribute, string_attribute: {key: url.path, values: [/health]}}
                """
                    .formatted(bytesPerSecond)));

    // the expectation, deciding the traces in first-arrival order within one second of the clock
    Set<String> expected = new HashSet<>();
    long errorSpans =
        0; // composite: errors may take 20 spans/s, gold 10, rest nothing (not allocated)
    long goldSpans = 0;
    double tokens = 2.0 * bytesPerSecond;
    int cappedErrors = 0;
    int cappedGold = 0;
    int cappedSlow = 0;
    for (Map.Entry<ByteString, Facts> e : facts.entrySet()) {
      Facts f = e.getValue();
      if (f.health) {
        continue; // dropped first: no budget is spent on it
      }
      boolean composite = false;
      if (f.error) {
        composite = errorSpans + f.spans <= 20;
        errorSpans += composite ? f.spans : 0;
        cappedErrors += composite ? 0 : 1;
      } else if (f.gold) {
        composite = goldSpans + f.spans <= 10;
        goldSpans += composite ? f.spans : 0;
        cappedGold += composite ? 0 : 1;
      }
      boolean healthyByHash = !f.error && f.sampledByHash(e.getKey(), 0.3);
      boolean slowWithinBytes = false;
      if ((f.endNanos - f.startNanos) / 1_000_000L >= 150) {
        slowWithinBytes = f.bytes <= tokens;
        tokens -= slowWithinBytes ? f.bytes : 0;
        cappedSlow += slowWithinBytes ? 0 : 1;
      }
      if (!f.payment && (composite || healthyByHash || slowWithinBytes)) {
        expected.add(TestData.hex(e.getKey()));
      }
    }
    // every rule had work to do in this data
    assertThat(cappedErrors).isPositive();
    assertThat(cappedGold).isPositive();
    assertThat(cappedSlow).isPositive();
    assertThat(facts.values()).anyMatch(f -> f.payment && !f.health).anyMatch(f -> f.health);

    Map<String, Integer> kept = run(cfg, data);
    assertThat(kept.keySet()).isEqualTo(expected);
    assertThat(kept).hasSizeGreaterThan(50);
  }

  /**
   * Sets the W3C sampled flag on one span (the first seen) of every third trace; the other spans
   * keep flags 0.
   */
  private static TracesData withSampledFlags(TracesData in, Set<ByteString> flagged) {
    List<ByteString> ids = new ArrayList<>(facts(in).keySet());
    for (int i = 0; i < ids.size(); i += 3) {
      flagged.add(ids.get(i));
    }
    Set<ByteString> pending = new HashSet<>(flagged);
    TracesData.Builder b = in.toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder sp : ss.getSpansBuilderList()) {
          sp.setFlags(
              pending.remove(sp.getTraceId())
                  ? 0x301
                  : 0x100); // remote bits never count as sampled
        }
      }
    }
    return b.build();
  }

  @Test
  void traceFlagsAndNotKeepExactlyTheExpectedSet() throws Exception {
    Set<ByteString> flagged = new HashSet<>();
    TracesData data = withSampledFlags(TestData.tracesData(300, 4, 7), flagged);
    TailSamplingConfig cfg =
        YamlBinder.bind(
            TailSamplingConfig.DEFAULT,
            YamlBinder.yaml(
                """
                decision_wait: 5s
                decision_cache: {sampled_cache_size: 1000, non_sampled_cache_size: 1000}
                policies:
                  - {name: sdk-sampled, type: trace_flags}
                  - name: not-fast
                    type: not
                    not:
                      not_sub_policy: {name: fast, type: latency, latency: {threshold_ms: 0, upper_threshold_ms: 150}}
                  - name: no-health
                    type: drop
                    drop:
                      drop_sub_policy:
                        - {name: health, type: string_attribute, string_attribute: {key: url.path, values: [/health]}}
                """));
    Map<ByteString, Facts> facts = facts(data);
    Set<String> expected = new HashSet<>();
    int slowOnly = 0;
    int flaggedOnly = 0;
    for (Map.Entry<ByteString, Facts> e : facts.entrySet()) {
      Facts f = e.getValue();
      boolean slow = (f.endNanos - f.startNanos) / 1_000_000L > 150;
      boolean sdk = flagged.contains(e.getKey());
      if (!f.health && (sdk || slow)) {
        expected.add(TestData.hex(e.getKey()));
        slowOnly += sdk ? 0 : 1;
        flaggedOnly += slow ? 0 : 1;
      }
    }
    // each policy keeps traces the other does not, and some traces are kept by neither
    assertThat(slowOnly).isPositive();
    assertThat(flaggedOnly).isPositive();
    assertThat(expected)
        .hasSizeLessThan(
            facts.size() - (int) facts.values().stream().filter(f -> f.health).count());

    assertThat(run(cfg, data).keySet()).isEqualTo(expected);
  }

  /**
   * The expected kept set for errors-then-rate_limiting with a bucket of {@code burst} spans,
   * decided in order.
   */
  private static Set<String> errorsThenBudget(
      Map<ByteString, Facts> facts, long burst, boolean firstMatch) {
    Set<String> expected = new HashSet<>();
    long tokens = burst; // full at start; the clock does not move between the decisions
    for (Map.Entry<ByteString, Facts> e : facts.entrySet()) {
      Facts f = e.getValue();
      if (f.health) {
        continue; // the drop policy runs first
      }
      boolean budget = false;
      if (!(firstMatch && f.error)) { // the first match ends the evaluation before rate_limiting
        budget = f.spans <= tokens;
        tokens -= budget ? f.spans : 0;
      }
      if (f.error || budget) {
        expected.add(TestData.hex(e.getKey()));
      }
    }
    return expected;
  }

  @Test
  void sampleOnFirstMatchSparesTheBudgetOfLaterPolicies() throws Exception {
    TracesData data = TestData.tracesData(300, 4, 23);
    Map<ByteString, Facts> facts = facts(data);
    long spans = facts.values().stream().filter(f -> !f.health).mapToLong(f -> f.spans).sum();
    long perSecond = spans / 10; // the default burst, 2 x, holds a fifth of the spans
    String yaml =
        """
        decision_wait: 5s
        sample_on_first_match: %s
        decision_cache: {sampled_cache_size: 1000, non_sampled_cache_size: 1000}
        policies:
          - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
          - {name: budget, type: rate_limiting, rate_limiting: {spans_per_second: %d}}
          - name: no-health
            type: drop
            drop:
              drop_sub_policy:
                - {name: health, type: string_attribute, string_attribute: {key: url.path, values: [/health]}}
        """;
    Set<String> first = errorsThenBudget(facts, 2 * perSecond, true);
    Set<String> all = errorsThenBudget(facts, 2 * perSecond, false);
    assertThat(first)
        .hasSizeGreaterThan(all.size()); // the error traces' spans left budget for others
    assertThat(facts.values())
        .anyMatch(f -> f.error && !f.health)
        .anyMatch(f -> f.health && f.error);

    assertThat(
            run(
                    YamlBinder.bind(
                        TailSamplingConfig.DEFAULT,
                        YamlBinder.yaml(yaml.formatted(true, perSecond))),
                    data)
                .keySet())
        .isEqualTo(first);
    assertThat(
            run(
                    YamlBinder.bind(
                        TailSamplingConfig.DEFAULT,
                        YamlBinder.yaml(yaml.formatted(false, perSecond))),
                    data)
                .keySet())
        .isEqualTo(all);
  }
}
