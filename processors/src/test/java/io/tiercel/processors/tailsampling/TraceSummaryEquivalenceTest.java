package io.tiercel.processors.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Items;
import io.tiercel.core.pdata.Traces;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.tailsampling.WireSplit.Arrival;
import io.tiercel.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The processor decides from summaries taken from the wire as spans arrive; these property tests
 * check, over generated requests, that every policy type decides the same from the summary as from
 * the parsed trace, that the sizes the collector counts are the same, and that released bytes parse
 * to exactly the spans that went in.
 */
class TraceSummaryEquivalenceTest {
  private static final Errors ERRORS =
      new Errors(
          org.slf4j.LoggerFactory.getLogger(TraceSummaryEquivalenceTest.class),
          "processor tail_sampling");

  /** One policy of every type (and the variants that read differently), as the collector's YAML. */
  private static final List<String> POLICIES =
      List.of(
          "{name: always, type: always_sample}",
          "{name: lat, type: latency, latency: {threshold_ms: 5}}",
          "{name: lat2, type: latency, latency: {threshold_ms: 3, upper_threshold_ms: 12}}",
          "{name: num, type: numeric_attribute, numeric_attribute: {key: n, min_value: 5,"
              + " max_value: 10}}",
          "{name: numinv, type: numeric_attribute, numeric_attribute: {key: n, min_value: 5,"
              + " max_value: 10, invert_match: true}}",
          "{name: prob, type: probabilistic, probabilistic: {sampling_percentage: 50}}",
          "{name: err, type: status_code, status_code: {status_codes: [ERROR]}}",
          "{name: okunset, type: status_code, status_code: {status_codes: [OK, UNSET]}}",
          "{name: str, type: string_attribute, string_attribute: {key: k, values: [a]}}",
          "{name: strre, type: string_attribute, string_attribute: {key: k, values: ['^b'],"
              + " enabled_regex_matching: true}}",
          "{name: strinv, type: string_attribute, string_attribute: {key: svc, values: [web],"
              + " invert_match: true}}",
          "{name: rate, type: rate_limiting, rate_limiting: {spans_per_second: 7}}",
          "{name: bytes, type: bytes_limiting, bytes_limiting: {bytes_per_second: 2000}}",
          "{name: count, type: span_count, span_count: {min_spans: 2, max_spans: 4}}",
          "{name: ts, type: trace_state, trace_state: {key: tier, values: [gold]}}",
          "{name: bool, type: boolean_attribute, boolean_attribute: {key: b, value: true}}",
          "{name: boolinv, type: boolean_attribute, boolean_attribute: {key: b, value: false,"
              + " invert_match: true}}",
          "{name: ottl, type: ottl_condition, ottl_condition: {span: ['attributes[\"k\"] =="
              + " \"c\"'], spanevent: ['name == \"ev\"']}}",
          "{name: flags, type: trace_flags}",
          "{name: and, type: and, and: {and_sub_policy: [{name: e, type: status_code, status_code:"
              + " {status_codes: [ERROR]}}, {name: s, type: string_attribute, string_attribute:"
              + " {key: k, values: [a, b]}}]}}",
          "{name: drop, type: drop, drop: {drop_sub_policy: [{name: b, type: boolean_attribute,"
              + " boolean_attribute: {key: b, value: true}}]}}",
          "{name: not, type: not, not: {not_sub_policy: {name: f, type: trace_flags}}}",
          """
          name: comp
          type: composite
          composite:
            max_total_spans_per_second: 12
            policy_order: [errors, tiered, rest]
            composite_sub_policy:
              - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
              - {name: tiered, type: trace_state, trace_state: {key: tier, values: [gold]}}
              - {name: rest, type: always_sample}
            rate_allocation:
              - {policy: errors, percent: 50}
              - {policy: tiered, percent: 25}
              - {policy: rest, percent: 25}
          """);

  private static List<PolicyConfig> configs() {
    List<Object> maps = new ArrayList<>();
    for (String y : POLICIES) {
      maps.add(new Yaml().load(y));
    }
    return YamlBinder.bind(TailSamplingConfig.DEFAULT, Map.of("policies", maps)).policies();
  }

  @Test
  void everyPolicyDecidesTheSameFromTheSummaryAsFromTheParsedTrace() {
    TestClock clock = TestClock.create();
    List<PolicyConfig> configs = configs();
    SpanTests tests = new SpanTests();
    List<Policy> fromSummary = PolicyEvaluators.create(configs, clock, ERRORS, tests);
    List<Policy> fromParsed = PolicyEvaluators.create(configs, clock, ERRORS);
    assertThat(tests.all()).hasSize(11); // every attribute and trace_state test has its bit
    SplittableRandom rnd = new SplittableRandom(14);
    Map<String, Map<Decision, Integer>> seen = new HashMap<>();
    for (int round = 0; round < 200; round++) {
      // a trace arriving over two requests: the summaries of both are merged
      TracesData first = request(rnd);
      TracesData second = request(rnd);
      Map<ByteString, Arrival> a = WireSplit.split(Traces.of(first).view(), tests);
      Map<ByteString, Arrival> b = WireSplit.split(Traces.of(second).view(), tests);
      Map<ByteString, List<ResourceSpans>> pa = TraceFragments.group(first);
      Map<ByteString, List<ResourceSpans>> pb = TraceFragments.group(second);
      assertThat(new ArrayList<>(a.keySet())).isEqualTo(new ArrayList<>(pa.keySet()));
      Map<ByteString, Arrival> merged = new LinkedHashMap<>(a);
      b.forEach(
          (id, arrival) -> {
            Arrival m = merged.get(id);
            if (m == null) {
              merged.put(id, arrival);
            } else {
              m.spans.addAll(arrival.spans);
              m.summary.add(arrival.summary);
            }
          });
      for (Map.Entry<ByteString, Arrival> e : merged.entrySet()) {
        ByteString id = e.getKey();
        List<ResourceSpans> parsed = new ArrayList<>(pa.getOrDefault(id, List.of()));
        parsed.addAll(pb.getOrDefault(id, List.of()));
        TraceView reference = TraceView.of(id, parsed);
        Arrival arrival = e.getValue();
        TraceView summarized = TraceView.of(id, arrival.summary, tests, arrival.spans);
        assertThat(summarized.spanCount()).isEqualTo(reference.spanCount());
        assertThat(summarized.serializedSize()).isEqualTo(reference.serializedSize());
        assertThat(arrival.summary.root).isEqualTo(hasRoot(parsed));
        for (int i = 0; i < configs.size(); i++) {
          Decision want = fromParsed.get(i).evaluate(reference);
          Decision got = fromSummary.get(i).evaluate(summarized);
          assertThat(got).as(configs.get(i).name() + " round " + round).isEqualTo(want);
          seen.computeIfAbsent(configs.get(i).name(), k -> new HashMap<>())
              .merge(want, 1, Integer::sum);
        }
      }
      clock.advance(Duration.ofMillis(150));
    }
    // the data reaches both outcomes of every policy (a policy always answering one way proves
    // nothing), except always_sample
    for (PolicyConfig c : configs) {
      if (!c.name().equals("always")) {
        assertThat(seen.get(c.name())).as(c.name()).hasSizeGreaterThanOrEqualTo(2);
      }
    }
  }

  @Test
  void onlyOttlConditionParsesTheSpansAtDecisionTime() {
    TestClock clock = TestClock.create();
    List<PolicyConfig> configs = configs();
    SpanTests tests = new SpanTests();
    List<Policy> fromSummary = PolicyEvaluators.create(configs, clock, ERRORS, tests);
    List<Policy> fromParsed = PolicyEvaluators.create(configs, clock, ERRORS);
    SplittableRandom rnd = new SplittableRandom(16);
    int decided = 0;
    for (int round = 0; round < 50; round++) {
      TracesData req = request(rnd);
      Map<ByteString, List<ResourceSpans>> parsed = TraceFragments.group(req);
      for (Map.Entry<ByteString, Arrival> e :
          WireSplit.split(Traces.of(req).view(), tests).entrySet()) {
        // slices over bytes that do not parse: a policy that parsed the spans would fail
        SpanSlices unparseable = new SpanSlices(1);
        byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
        unparseable.add(new Envelope(junk, 0, 0, 0, 0), 0, junk.length);
        TraceView summarized = TraceView.of(e.getKey(), e.getValue().summary, tests, unparseable);
        TraceView reference = TraceView.of(e.getKey(), parsed.get(e.getKey()));
        for (int i = 0; i < configs.size(); i++) {
          String name = configs.get(i).name();
          Decision want = fromParsed.get(i).evaluate(reference);
          if (name.equals("ottl")) {
            Policy ottl = fromSummary.get(i);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ottl.evaluate(summarized))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("spans this processor buffered do not parse");
          } else {
            assertThat(fromSummary.get(i).evaluate(summarized)).as(name).isEqualTo(want);
            decided++;
          }
        }
      }
    }
    assertThat(decided).isGreaterThan(1000);
  }

  @Test
  void bufferedSpansAreSlicesOfTheRequestNotCopies() {
    TracesData req = request(new SplittableRandom(17));
    while (Items.count(req) == 0) {
      req = request(new SplittableRandom(req.getSerializedSize()));
    }
    byte[] bytes = req.toByteArray();
    Traces data = Traces.ofBytes(bytes);
    int spans = 0;
    for (Arrival a : WireSplit.split(data.view(), new SpanTests()).values()) {
      for (int i = 0; i < a.spans.size(); i++) {
        assertThat(a.spans.envelope(i).src).isSameAs(bytes);
        spans++;
      }
    }
    assertThat(spans).isEqualTo(Items.count(req));
  }

  @Test
  void releasedBytesParseToExactlyTheSpansThatWentIn() throws Exception {
    SplittableRandom rnd = new SplittableRandom(15);
    for (int round = 0; round < 150; round++) {
      List<TracesData> requests = new ArrayList<>();
      List<SpanSlices> all = new ArrayList<>();
      for (int r = 0; r < 1 + rnd.nextInt(3); r++) {
        TracesData req = request(rnd);
        requests.add(req);
        Map<ByteString, Arrival> split = WireSplit.split(Traces.of(req).view(), new SpanTests());
        for (Map.Entry<ByteString, Arrival> e : split.entrySet()) {
          SpanSlices one = e.getValue().spans;
          // one trace's spans parse to that trace's spans, with their resources and scopes
          assertThat(triples(TracesData.newBuilder().addAllResourceSpans(one.parse()).build()))
              .containsExactlyInAnyOrderElementsOf(
                  triples(
                      TracesData.newBuilder()
                          .addAllResourceSpans(TraceFragments.group(req).get(e.getKey()))
                          .build()));
          all.add(one);
        }
      }
      TracesData joined = TracesData.parseFrom(SpanSlices.join(all));
      List<String> in = requests.stream().flatMap(t -> triples(t).stream()).toList();
      assertThat(triples(joined)).containsExactlyInAnyOrderElementsOf(in);
      // grouped by envelope: no two resources (nor two scopes of one resource) are equal
      List<ByteString> heads =
          joined.getResourceSpansList().stream()
              .map(rs -> rs.toBuilder().clearScopeSpans().build().toByteString())
              .toList();
      assertThat(heads).doesNotHaveDuplicates();
    }
  }

  /** Each span with its resource and scope heads, serialized, as one comparable string. */
  private static List<String> triples(TracesData d) {
    List<String> out = new ArrayList<>();
    for (ResourceSpans rs : d.getResourceSpansList()) {
      String r = rs.toBuilder().clearScopeSpans().build().toByteString().toStringUtf8();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        String s = ss.toBuilder().clearSpans().build().toByteString().toStringUtf8();
        for (Span sp : ss.getSpansList()) {
          out.add(r + "|" + s + "|" + sp.toByteString().toStringUtf8());
        }
      }
    }
    return out;
  }

  private static boolean hasRoot(List<ResourceSpans> fragments) {
    return fragments.stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .anyMatch(s -> s.getParentSpanId().isEmpty() || s.getParentSpanId().equals(zeros(8)));
  }

  private static ByteString zeros(int n) {
    return ByteString.copyFrom(new byte[n]);
  }

  /** A request with 1-3 resources of 0-3 scopes of 0-5 spans of 4 traces, fields varied. */
  static TracesData request(SplittableRandom rnd) {
    TracesData.Builder d = TracesData.newBuilder();
    int resources = 1 + rnd.nextInt(3);
    for (int r = 0; r < resources; r++) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder();
      if (rnd.nextInt(4) > 0) {
        Resource.Builder res = Resource.newBuilder();
        res.addAttributes(kv("svc", rnd.nextBoolean() ? "web" : "db"));
        maybeAttributes(rnd, res.getAttributesList(), res::addAttributes, 2);
        rs.setResource(res);
      }
      if (rnd.nextInt(3) == 0) {
        rs.setSchemaUrl("https://opentelemetry.io/schemas/1." + rnd.nextInt(2));
      }
      int scopes = rnd.nextInt(4);
      for (int s = 0; s < scopes; s++) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        if (rnd.nextBoolean()) {
          ss.setScope(InstrumentationScope.newBuilder().setName("lib" + rnd.nextInt(2)));
        }
        int spans = rnd.nextInt(6);
        for (int i = 0; i < spans; i++) {
          ss.addSpans(span(rnd));
        }
        rs.addScopeSpans(ss);
      }
      d.addResourceSpans(rs);
    }
    return d.build();
  }

  private static Span span(SplittableRandom rnd) {
    Span.Builder s = Span.newBuilder();
    int trace = rnd.nextInt(9);
    if (trace > 0) { // a few spans without a trace id: parsing reads the empty id
      byte[] id = new byte[16];
      id[0] = 0x42;
      id[15] = (byte) (trace % 4);
      s.setTraceId(ByteString.copyFrom(id));
    }
    s.setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) rnd.nextInt(256)}));
    switch (rnd.nextInt(3)) {
      case 0 -> {}
      case 1 -> s.setParentSpanId(zeros(8));
      default -> s.setParentSpanId(ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}));
    }
    s.setName("op" + rnd.nextInt(3));
    long start = 1_700_000_000_000_000_000L + rnd.nextLong(20_000_000L);
    s.setStartTimeUnixNano(start).setEndTimeUnixNano(start + rnd.nextLong(15_000_000L));
    switch (rnd.nextInt(5)) {
      case 0 -> {} // no status field: UNSET
      case 1 -> s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
      case 2 -> s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
      case 3 -> s.setStatus(Status.newBuilder().setMessage("m"));
      default -> s.setStatus(Status.newBuilder().setCodeValue(7)); // not a known code
    }
    if (rnd.nextBoolean()) {
      s.setFlags(rnd.nextInt(4) | 0x100);
    }
    switch (rnd.nextInt(4)) {
      case 0 -> s.setTraceState("tier=gold");
      case 1 -> s.setTraceState("vendor=a,tier=silver");
      case 2 -> s.setTraceState("not a valid state");
      default -> {}
    }
    maybeAttributes(rnd, s.getAttributesList(), s::addAttributes, 4);
    if (rnd.nextInt(5) == 0) {
      s.addEvents(Span.Event.newBuilder().setName(rnd.nextBoolean() ? "ev" : "other"));
    }
    return s.build();
  }

  private static void maybeAttributes(
      SplittableRandom rnd,
      List<KeyValue> existing,
      java.util.function.Consumer<KeyValue> add,
      int max) {
    int n = rnd.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      add.accept(
          switch (rnd.nextInt(6)) {
            case 0 -> kv("k", Stream.of("a", "b", "bb", "c", "d").toList().get(rnd.nextInt(5)));
            case 1 -> kv("n", rnd.nextInt(15));
            case 2 -> kv("n", rnd.nextDouble() * 15);
            case 3 -> kv("b", rnd.nextBoolean());
            case 4 -> kv("svc", rnd.nextBoolean() ? "web" : "api");
            default -> kv("other", "x");
          });
    }
  }

  private static KeyValue kv(String k, Object v) {
    AnyValue.Builder a = AnyValue.newBuilder();
    if (v instanceof String s) {
      a.setStringValue(s);
    } else if (v instanceof Boolean b) {
      a.setBoolValue(b);
    } else if (v instanceof Double x) {
      a.setDoubleValue(x);
    } else {
      a.setIntValue(((Number) v).longValue());
    }
    return KeyValue.newBuilder().setKey(k).setValue(a).build();
  }
}
