package io.tiercel.processors.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tiercel.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Every policy type and the decision rules, on hand-built traces with a known expected decision. */
class PoliciesTest {
  private final TestClock clock = TestClock.create();

  static ByteString traceId(int n) {
    byte[] b = new byte[16];
    b[15] = (byte) n;
    b[14] = (byte) (n >> 8);
    b[0] = 0x11;
    return ByteString.copyFrom(b);
  }

  static KeyValue kv(String k, Object v) {
    AnyValue.Builder a = AnyValue.newBuilder();
    if (v instanceof String s) {
      a.setStringValue(s);
    } else if (v instanceof Boolean b) {
      a.setBoolValue(b);
    } else if (v instanceof Double d) {
      a.setDoubleValue(d);
    } else {
      a.setIntValue(((Number) v).longValue());
    }
    return KeyValue.newBuilder().setKey(k).setValue(a).build();
  }

  /** A span starting at {@code startMs} lasting {@code durMs}, with attributes k1, v1, k2, v2, ... */
  static Span span(ByteString trace, long startMs, long durMs, Status.StatusCode code, Object... attrs) {
    Span.Builder s = Span.newBuilder().setTraceId(trace).setSpanId(ByteString.copyFrom(new byte[8])).setName("op")
        .setStartTimeUnixNano(startMs * 1_000_000L).setEndTimeUnixNano((startMs + durMs) * 1_000_000L)
        .setStatus(Status.newBuilder().setCode(code));
    for (int i = 0; i < attrs.length; i += 2) {
      s.addAttributes(kv((String) attrs[i], attrs[i + 1]));
    }
    return s.build();
  }

  static TraceView trace(ByteString id, List<KeyValue> resource, Span... spans) {
    ResourceSpans rs = ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAllAttributes(resource))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))).build();
    return TraceView.of(id, List.of(rs));
  }

  static TraceView trace(Span... spans) {
    return trace(spans[0].getTraceId(), List.of(), spans);
  }

  static Span ok(Object... attrs) {
    return span(traceId(1), 0, 10, Status.StatusCode.STATUS_CODE_UNSET, attrs);
  }

  Policy policy(String yaml) {
    Map<String, Object> m = new Yaml().load(yaml);
    return Policies.parse("policies[0]", m, clock, null);
  }

  @Test
  void alwaysSample() {
    assertThat(policy("{name: a, type: always_sample}").evaluate(trace(ok()))).isEqualTo(Decision.SAMPLED);
  }

  @Test
  void latencyUsesTheWholeTraceDurationWithOptionalUpperBound() {
    Policy p = policy("{name: l, type: latency, latency: {threshold_ms: 500}}");
    ByteString id = traceId(2);
    Span a = span(id, 1000, 100, Status.StatusCode.STATUS_CODE_UNSET);
    Span b = span(id, 1400, 100, Status.StatusCode.STATUS_CODE_UNSET); // trace spans 1000..1500 = 500 ms
    assertThat(p.evaluate(trace(a, b))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(a))).isEqualTo(Decision.NOT_SAMPLED);
    Policy band = policy("{name: l, type: latency, latency: {threshold_ms: 100, upper_threshold_ms: 400}}");
    assertThat(band.evaluate(trace(a, b))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(band.evaluate(trace(a))).isEqualTo(Decision.SAMPLED);
    assertThat(band.evaluate(trace(span(id, 0, 99, Status.StatusCode.STATUS_CODE_UNSET))))
        .isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void numericAttributeInRangeOnSpanOrResourceAndInverted() {
    Policy p = policy("{name: n, type: numeric_attribute, numeric_attribute: {key: code, min_value: 400,"
        + " max_value: 499}}");
    assertThat(p.evaluate(trace(ok("code", 404)))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok("code", 404.5)))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok("code", 500)))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(ok("code", "404")))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(traceId(1), List.of(kv("code", 400)), ok()))).isEqualTo(Decision.SAMPLED);
    Policy onlyMin = policy("{name: n, type: numeric_attribute, numeric_attribute: {key: code, min_value: 400}}");
    assertThat(onlyMin.evaluate(trace(ok("code", 9999)))).isEqualTo(Decision.SAMPLED);
    Policy inv = policy("{name: n, type: numeric_attribute, numeric_attribute: {key: code, min_value: 400,"
        + " max_value: 499, invert_match: true}}");
    assertThat(inv.evaluate(trace(ok("code", 404)))).isEqualTo(Decision.INVERTED_NOT_SAMPLED);
    assertThat(inv.evaluate(trace(ok("code", 200)))).isEqualTo(Decision.INVERTED_SAMPLED);
  }

  @Test
  void probabilisticIsTheCollectorsSaltedFnvHash() {
    // FNV-1a 64 test vectors: "" and "a"
    assertThat(Policies.hashTraceId(new byte[0], ByteString.EMPTY)).isEqualTo(0xcbf29ce484222325L);
    assertThat(Policies.hashTraceId("a".getBytes(StandardCharsets.UTF_8), ByteString.EMPTY))
        .isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(Policies.hashTraceId(new byte[0], ByteString.copyFromUtf8("a"))).isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(Policies.threshold(0)).isZero();
    assertThat(Policies.threshold(1)).isEqualTo(-1L); // 2^64 - 1 unsigned
    assertThat(Policies.threshold(0.5)).isEqualTo(Long.MAX_VALUE);

    Policy p = policy("{name: p, type: probabilistic, probabilistic: {sampling_percentage: 25}}");
    Policy same = policy("{name: q, type: probabilistic, probabilistic: {hash_salt: default-hash-seed,"
        + " sampling_percentage: 25}}");
    Policy salted = policy("{name: r, type: probabilistic, probabilistic: {hash_salt: other,"
        + " sampling_percentage: 25}}");
    byte[] salt = Policies.DEFAULT_HASH_SALT.getBytes(StandardCharsets.UTF_8);
    SplittableRandom rnd = new SplittableRandom(7);
    int sampled = 0;
    int differs = 0;
    for (int i = 0; i < 4000; i++) {
      byte[] id = new byte[16];
      rnd.nextBytes(id);
      ByteString tid = ByteString.copyFrom(id);
      TraceView t = trace(tid, List.of(), span(tid, 0, 1, Status.StatusCode.STATUS_CODE_UNSET));
      Decision d = p.evaluate(t);
      boolean expected = Long.compareUnsigned(Policies.hashTraceId(salt, tid), Policies.threshold(0.25)) <= 0;
      assertThat(d).isEqualTo(expected ? Decision.SAMPLED : Decision.NOT_SAMPLED);
      assertThat(same.evaluate(t)).isEqualTo(d);
      sampled += d == Decision.SAMPLED ? 1 : 0;
      differs += salted.evaluate(t) != d ? 1 : 0;
    }
    assertThat(sampled).isBetween(900, 1100); // 25% of 4000 random ids
    assertThat(differs).isPositive();
    assertThat(policy("{name: p, type: probabilistic, probabilistic: {sampling_percentage: 100}}")
        .evaluate(trace(ok()))).isEqualTo(Decision.SAMPLED);
    assertThat(policy("{name: p, type: probabilistic, probabilistic: {sampling_percentage: 0}}")
        .evaluate(trace(ok()))).isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void statusCodeMatchesAnySpan() {
    Policy p = policy("{name: s, type: status_code, status_code: {status_codes: [ERROR]}}");
    ByteString id = traceId(3);
    Span err = span(id, 0, 1, Status.StatusCode.STATUS_CODE_ERROR);
    Span fine = span(id, 0, 1, Status.StatusCode.STATUS_CODE_OK);
    assertThat(p.evaluate(trace(fine, err))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(fine))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(policy("{name: s, type: status_code, status_code: {status_codes: [OK, UNSET]}}")
        .evaluate(trace(fine))).isEqualTo(Decision.SAMPLED);
  }

  @Test
  void stringAttributeExactRegexAndInverted() {
    Policy exact = policy("{name: s, type: string_attribute, string_attribute: {key: k, values: [a, b]}}");
    assertThat(exact.evaluate(trace(ok("k", "b")))).isEqualTo(Decision.SAMPLED);
    assertThat(exact.evaluate(trace(ok("k", "bb")))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(exact.evaluate(trace(ok("other", "a")))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(exact.evaluate(trace(traceId(1), List.of(kv("k", "a")), ok()))).isEqualTo(Decision.SAMPLED);
    Policy regex = policy("{name: s, type: string_attribute, string_attribute: {key: k, values: ['^/api/.*'],"
        + " enabled_regex_matching: true}}");
    assertThat(regex.evaluate(trace(ok("k", "/api/cart")))).isEqualTo(Decision.SAMPLED);
    assertThat(regex.evaluate(trace(ok("k", "/health")))).isEqualTo(Decision.NOT_SAMPLED);
    Policy inv = policy("{name: s, type: string_attribute, string_attribute: {key: k, values: [/health],"
        + " invert_match: true}}");
    assertThat(inv.evaluate(trace(ok("k", "/health")))).isEqualTo(Decision.INVERTED_NOT_SAMPLED);
    assertThat(inv.evaluate(trace(ok("k", "/api")))).isEqualTo(Decision.INVERTED_SAMPLED);
  }

  @Test
  void rateLimitingCountsSpansPerSecondOfTheClock() {
    Policy p = policy("{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 5}}");
    ByteString id = traceId(4);
    Span s = span(id, 0, 1, Status.StatusCode.STATUS_CODE_UNSET);
    TraceView two = trace(s, s);
    assertThat(p.evaluate(two)).isEqualTo(Decision.SAMPLED); // 2 < 5
    assertThat(p.evaluate(two)).isEqualTo(Decision.SAMPLED); // 4 < 5
    assertThat(p.evaluate(two)).isEqualTo(Decision.NOT_SAMPLED); // 6 would exceed
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED); // 5 is not below 5 (the collector's <)
    clock.advance(Duration.ofSeconds(1));
    assertThat(p.evaluate(two)).isEqualTo(Decision.SAMPLED);
  }

  @Test
  void spanCountBounds() {
    Policy p = policy("{name: c, type: span_count, span_count: {min_spans: 2, max_spans: 3}}");
    Span s = ok();
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(s, s))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(s, s, s))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(s, s, s, s))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(policy("{name: c, type: span_count, span_count: {min_spans: 2}}").evaluate(trace(s, s, s, s)))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void booleanAttributeAndInverted() {
    Policy p = policy("{name: b, type: boolean_attribute, boolean_attribute: {key: debug, value: true}}");
    assertThat(p.evaluate(trace(ok("debug", true)))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok("debug", false)))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(ok("debug", "true")))).isEqualTo(Decision.NOT_SAMPLED);
    Policy inv = policy("{name: b, type: boolean_attribute, boolean_attribute: {key: debug, value: true,"
        + " invert_match: true}}");
    assertThat(inv.evaluate(trace(ok("debug", true)))).isEqualTo(Decision.INVERTED_NOT_SAMPLED);
    assertThat(inv.evaluate(trace(ok("debug", false)))).isEqualTo(Decision.INVERTED_SAMPLED);
  }

  @Test
  void ottlConditionOnSpansAndSpanEvents() {
    Policy p = policy("{name: o, type: ottl_condition, ottl_condition: {span: ['attributes[\"http.route\"] =="
        + " \"/checkout\"'], spanevent: ['name == \"exception\"']}}");
    assertThat(p.evaluate(trace(ok("http.route", "/checkout")))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok("http.route", "/cart")))).isEqualTo(Decision.NOT_SAMPLED);
    Span withEvent = ok().toBuilder().addEvents(Span.Event.newBuilder().setName("exception")).build();
    assertThat(p.evaluate(trace(withEvent))).isEqualTo(Decision.SAMPLED);
    Policy res = policy("{name: o, type: ottl_condition, ottl_condition: {span: ['resource.attributes[\"svc\"]"
        + " == \"pay\"']}}");
    assertThat(res.evaluate(trace(traceId(1), List.of(kv("svc", "pay")), ok()))).isEqualTo(Decision.SAMPLED);
  }

  @Test
  void andNeedsEverySubPolicyAndDropDropsWhenAllMatch() {
    Policy and = policy("""
        name: x
        type: and
        and:
          and_sub_policy:
            - {name: a, type: status_code, status_code: {status_codes: [ERROR]}}
            - {name: b, type: string_attribute, string_attribute: {key: k, values: [v]}}
        """);
    ByteString id = traceId(5);
    Span errV = span(id, 0, 1, Status.StatusCode.STATUS_CODE_ERROR, "k", "v");
    Span errW = span(id, 0, 1, Status.StatusCode.STATUS_CODE_ERROR, "k", "w");
    assertThat(and.evaluate(trace(errV))).isEqualTo(Decision.SAMPLED);
    assertThat(and.evaluate(trace(errW))).isEqualTo(Decision.NOT_SAMPLED);
    Policy drop = policy("""
        name: d
        type: drop
        drop:
          drop_sub_policy:
            - {name: h, type: string_attribute, string_attribute: {key: k, values: [v]}}
        """);
    assertThat(drop.evaluate(trace(errV))).isEqualTo(Decision.DROPPED);
    assertThat(drop.evaluate(trace(errW))).isEqualTo(Decision.NOT_SAMPLED);
    Policy andInv = policy("""
        name: x
        type: and
        and:
          and_sub_policy:
            - {name: a, type: always_sample}
            - {name: b, type: string_attribute, string_attribute: {key: k, values: [v], invert_match: true}}
        """);
    assertThat(andInv.evaluate(trace(errV))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(andInv.evaluate(trace(errW))).isEqualTo(Decision.SAMPLED);
  }

  // ------------------------------------------------------------------ decision rules

  private static Policy fixed(String name, Decision d) {
    return new Policy() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String type() {
        return "fixed";
      }

      @Override
      public Decision evaluate(TraceView trace) {
        if (d == Decision.ERROR) {
          throw new IllegalStateException("boom");
        }
        return d;
      }
    };
  }

  private static boolean decide(Decision... ds) {
    List<Policy> ps = new ArrayList<>();
    for (int i = 0; i < ds.length; i++) {
      ps.add(fixed("p" + i, ds[i]));
    }
    return new DecisionEngine(ps).decide(trace(ok())).sampled();
  }

  @Test
  void decisionRules() {
    assertThat(decide(Decision.SAMPLED)).isTrue();
    assertThat(decide(Decision.NOT_SAMPLED)).isFalse();
    assertThat(decide(Decision.NOT_SAMPLED, Decision.SAMPLED)).isTrue(); // any sampled keeps
    assertThat(decide(Decision.SAMPLED, Decision.DROPPED)).isFalse(); // any drop wins
    assertThat(decide(Decision.DROPPED, Decision.SAMPLED)).isFalse();
    assertThat(decide(Decision.SAMPLED, Decision.INVERTED_NOT_SAMPLED)).isFalse(); // inverted veto
    assertThat(decide(Decision.INVERTED_SAMPLED)).isTrue();
    assertThat(decide(Decision.INVERTED_SAMPLED, Decision.NOT_SAMPLED)).isFalse();
    assertThat(decide(Decision.INVERTED_SAMPLED, Decision.SAMPLED)).isTrue();
    assertThat(decide(Decision.ERROR)).isFalse();
    assertThat(decide(Decision.ERROR, Decision.SAMPLED)).isTrue();
    assertThat(decide()).isFalse();
  }

  @Test
  void dropStopsTheEvaluation() {
    DecisionEngine e = new DecisionEngine(List.of(fixed("a", Decision.SAMPLED), fixed("d", Decision.DROPPED),
        fixed("b", Decision.SAMPLED)));
    DecisionEngine.Outcome o = e.decide(trace(ok()));
    assertThat(o.sampled()).isFalse();
    assertThat(o.decisions()).containsExactly(Decision.SAMPLED, Decision.DROPPED);
    assertThat(DecisionEngine.combine(EnumSet.of(Decision.SAMPLED, Decision.INVERTED_SAMPLED))).isTrue();
  }
}
