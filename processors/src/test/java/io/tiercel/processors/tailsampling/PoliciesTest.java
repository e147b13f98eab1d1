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
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.Errors;
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

/**
 * Every policy type and the decision rules, on hand-built traces with a known expected decision.
 */
class PoliciesTest {
  private static final Errors ERRORS =
      new Errors(org.slf4j.LoggerFactory.getLogger(PoliciesTest.class), "processor tail_sampling");

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

  /**
   * A span starting at {@code startMs} lasting {@code durMs}, with attributes k1, v1, k2, v2, ...
   */
  static Span span(
      ByteString trace, long startMs, long durMs, Status.StatusCode code, Object... attrs) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(trace)
            .setSpanId(ByteString.copyFrom(new byte[8]))
            .setName("op")
            .setStartTimeUnixNano(startMs * 1_000_000L)
            .setEndTimeUnixNano((startMs + durMs) * 1_000_000L)
            .setStatus(Status.newBuilder().setCode(code));
    for (int i = 0; i < attrs.length; i += 2) {
      s.addAttributes(kv((String) attrs[i], attrs[i + 1]));
    }
    return s.build();
  }

  static TraceView trace(ByteString id, List<KeyValue> resource, Span... spans) {
    ResourceSpans rs =
        ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAllAttributes(resource))
            .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))
            .build();
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
    TailSamplingConfig c =
        YamlBinder.bind(TailSamplingConfig.DEFAULT, Map.of("policies", List.of(m)));
    return PolicyEvaluators.create(c.policies().get(0), clock, ERRORS);
  }

  @Test
  void alwaysSample() {
    assertThat(policy("{name: a, type: always_sample}").evaluate(trace(ok())))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void latencyUsesTheWholeTraceDurationWithOptionalUpperBound() {
    Policy p = policy("{name: l, type: latency, latency: {threshold_ms: 500}}");
    ByteString id = traceId(2);
    Span a = span(id, 1000, 100, Status.StatusCode.STATUS_CODE_UNSET);
    Span b =
        span(id, 1400, 100, Status.StatusCode.STATUS_CODE_UNSET); // trace spans 1000..1500 = 500 ms
    assertThat(p.evaluate(trace(a, b))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(a))).isEqualTo(Decision.NOT_SAMPLED);
    Policy band =
        policy("{name: l, type: latency, latency: {threshold_ms: 100, upper_threshold_ms: 400}}");
    assertThat(band.evaluate(trace(a, b))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(band.evaluate(trace(a))).isEqualTo(Decision.SAMPLED);
    assertThat(band.evaluate(trace(span(id, 0, 99, Status.StatusCode.STATUS_CODE_UNSET))))
        .isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void numericAttributeInRangeOnSpanOrResourceAndInverted() {
    Policy p =
        policy(
            "{name: n, type: numeric_attribute, numeric_attribute: {key: code, min_value: 400,"
                + " max_value: 499}}");
    assertThat(p.evaluate(trace(ok("code", 404)))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok("code", 404.5)))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok("code", 500)))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(ok("code", "404")))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(traceId(1), List.of(kv("code", 400)), ok())))
        .isEqualTo(Decision.SAMPLED);
    Policy onlyMin =
        policy(
            "{name: n, type: numeric_attribute, numeric_attribute: {key: code, min_value: 400}}");
    assertThat(onlyMin.evaluate(trace(ok("code", 9999)))).isEqualTo(Decision.SAMPLED);
    Policy inv =
        policy(
            "{name: n, type: numeric_attribute, numeric_attribute: {key: code, min_value: 400,"
                + " max_value: 499, invert_match: true}}");
    assertThat(inv.evaluate(trace(ok("code", 404)))).isEqualTo(Decision.INVERTED_NOT_SAMPLED);
    assertThat(inv.evaluate(trace(ok("code", 200)))).isEqualTo(Decision.INVERTED_SAMPLED);
  }

  @Test
  void attributePoliciesTestEachFragmentsResourceOnlyWhenItHoldsSpans() {
    Policy p =
        policy("{name: s, type: string_attribute, string_attribute: {key: svc, values: [a]}}");
    ResourceSpans plain = trace(traceId(1), List.of(kv("svc", "b")), ok(), ok()).fragments().get(0);
    ResourceSpans withA = trace(traceId(1), List.of(kv("svc", "a")), ok()).fragments().get(0);
    ResourceSpans emptyA = withA.toBuilder().clearScopeSpans().build();
    assertThat(p.evaluate(TraceView.of(traceId(1), List.of(plain, withA))))
        .isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(TraceView.of(traceId(1), List.of(plain, emptyA))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(
            p.evaluate(
                TraceView.of(
                    traceId(1),
                    List.of(
                        plain, trace(traceId(1), List.of(), ok("svc", "a")).fragments().get(0)))))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void probabilisticIsTheCollectorsSaltedFnvHash() {
    // FNV-1a 64 test vectors: "" and "a"
    assertThat(PolicyEvaluators.hashTraceId(new byte[0], ByteString.EMPTY))
        .isEqualTo(0xcbf29ce484222325L);
    assertThat(PolicyEvaluators.hashTraceId("a".getBytes(StandardCharsets.UTF_8), ByteString.EMPTY))
        .isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(PolicyEvaluators.hashTraceId(new byte[0], ByteString.copyFromUtf8("a")))
        .isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(PolicyEvaluators.threshold(0)).isZero();
    assertThat(PolicyEvaluators.threshold(1)).isEqualTo(-1L); // 2^64 - 1 unsigned
    assertThat(PolicyEvaluators.threshold(0.5)).isEqualTo(Long.MAX_VALUE);

    Policy p = policy("{name: p, type: probabilistic, probabilistic: {sampling_percentage: 25}}");
    Policy same =
        policy(
            "{name: q, type: probabilistic, probabilistic: {hash_salt: default-hash-seed,"
                + " sampling_percentage: 25}}");
    Policy salted =
        policy(
            "{name: r, type: probabilistic, probabilistic: {hash_salt: other,"
                + " sampling_percentage: 25}}");
    byte[] salt = PolicyEvaluators.DEFAULT_HASH_SALT.getBytes(StandardCharsets.UTF_8);
    SplittableRandom rnd = new SplittableRandom(7);
    int sampled = 0;
    int differs = 0;
    for (int i = 0; i < 4000; i++) {
      byte[] id = new byte[16];
      rnd.nextBytes(id);
      ByteString tid = ByteString.copyFrom(id);
      TraceView t = trace(tid, List.of(), span(tid, 0, 1, Status.StatusCode.STATUS_CODE_UNSET));
      Decision d = p.evaluate(t);
      boolean expected =
          Long.compareUnsigned(
                  PolicyEvaluators.hashTraceId(salt, tid), PolicyEvaluators.threshold(0.25))
              <= 0;
      assertThat(d).isEqualTo(expected ? Decision.SAMPLED : Decision.NOT_SAMPLED);
      assertThat(same.evaluate(t)).isEqualTo(d);
      sampled += d == Decision.SAMPLED ? 1 : 0;
      differs += salted.evaluate(t) != d ? 1 : 0;
    }
    assertThat(sampled).isBetween(900, 1100); // 25% of 4000 random ids
    assertThat(differs).isPositive();
    assertThat(
            policy("{name: p, type: probabilistic, probabilistic: {sampling_percentage: 100}}")
                .evaluate(trace(ok())))
        .isEqualTo(Decision.SAMPLED);
    assertThat(
            policy("{name: p, type: probabilistic, probabilistic: {sampling_percentage: 0}}")
                .evaluate(trace(ok())))
        .isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void statusCodeMatchesAnySpan() {
    Policy p = policy("{name: s, type: status_code, status_code: {status_codes: [ERROR]}}");
    ByteString id = traceId(3);
    Span err = span(id, 0, 1, Status.StatusCode.STATUS_CODE_ERROR);
    Span fine = span(id, 0, 1, Status.StatusCode.STATUS_CODE_OK);
    assertThat(p.evaluate(trace(fine, err))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(fine))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(
            policy("{name: s, type: status_code, status_code: {status_codes: [OK, UNSET]}}")
                .evaluate(trace(fine)))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void stringAttributeExactRegexAndInverted() {
    Policy exact =
        policy("{name: s, type: string_attribute, string_attribute: {key: k, values: [a, b]}}");
    assertThat(exact.evaluate(trace(ok("k", "b")))).isEqualTo(Decision.SAMPLED);
    assertThat(exact.evaluate(trace(ok("k", "bb")))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(exact.evaluate(trace(ok("other", "a")))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(exact.evaluate(trace(traceId(1), List.of(kv("k", "a")), ok())))
        .isEqualTo(Decision.SAMPLED);
    Policy regex =
        policy(
            "{name: s, type: string_attribute, string_attribute: {key: k, values: ['^/api/.*'],"
                + " enabled_regex_matching: true}}");
    assertThat(regex.evaluate(trace(ok("k", "/api/cart")))).isEqualTo(Decision.SAMPLED);
    assertThat(regex.evaluate(trace(ok("k", "/health")))).isEqualTo(Decision.NOT_SAMPLED);
    Policy inv =
        policy(
            "{name: s, type: string_attribute, string_attribute: {key: k, values: [/health],"
                + " invert_match: true}}");
    assertThat(inv.evaluate(trace(ok("k", "/health")))).isEqualTo(Decision.INVERTED_NOT_SAMPLED);
    assertThat(inv.evaluate(trace(ok("k", "/api")))).isEqualTo(Decision.INVERTED_SAMPLED);
  }

  @Test
  void rateLimitingIsATokenBucketHoldingTwiceTheRateByDefault() {
    Policy p =
        policy("{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 2}}"); // burst 4,
    // full
    Span s = span(traceId(4), 0, 1, Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(p.evaluate(trace(s, s, s))).isEqualTo(Decision.SAMPLED); // 4 - 3 = 1 left
    assertThat(p.evaluate(trace(s, s))).isEqualTo(Decision.NOT_SAMPLED); // 2 > 1: nothing taken
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.SAMPLED); // 0 left
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED);
    clock.advance(Duration.ofMillis(500)); // refilled 1
    assertThat(p.evaluate(trace(s, s))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.SAMPLED);
    clock.advance(Duration.ofSeconds(10)); // refilled up to the burst capacity 4, not 20
    assertThat(p.evaluate(trace(s, s, s, s, s))).isEqualTo(Decision.NOT_SAMPLED); // 5 > 4
    assertThat(p.evaluate(trace(s, s, s, s))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void rateLimitingBurstCapacityBoundsTheBucket() {
    Policy p =
        policy(
            "{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 10, burst_capacity:"
                + " 3}}");
    Span s = span(traceId(4), 0, 1, Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(p.evaluate(trace(s, s, s, s)))
        .isEqualTo(Decision.NOT_SAMPLED); // more spans than the bucket holds
    assertThat(p.evaluate(trace(s, s, s))).isEqualTo(Decision.SAMPLED); // full at start: 3
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED);
    clock.advance(Duration.ofMillis(100)); // 10 per second: 1 token
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.SAMPLED);
    clock.advance(Duration.ofMinutes(1));
    assertThat(p.evaluate(trace(s, s, s, s))).isEqualTo(Decision.NOT_SAMPLED); // never more than 3
    assertThat(p.evaluate(trace(s, s))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED);
  }

  @Test
  void traceFlagsSamplesWhenAnySpanHasTheW3cSampledFlag() {
    Policy p = policy("{name: f, type: trace_flags}");
    assertThat(policy("{name: f, type: trace_flags, trace_flags: {}}").type())
        .isEqualTo("trace_flags");
    Span none = ok();
    Span sampled = ok().toBuilder().setFlags(0x01).build();
    Span remoteOnly =
        ok().toBuilder()
            .setFlags(0x300)
            .build(); // the has-is-remote and is-remote bits, not sampled
    Span remoteSampled = ok().toBuilder().setFlags(0x301).build();
    Span otherTraceFlag =
        ok().toBuilder().setFlags(0x02).build(); // random flag (W3C level 2), not sampled
    assertThat(p.evaluate(trace(none))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(remoteOnly, otherTraceFlag))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(none, sampled))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(remoteSampled))).isEqualTo(Decision.SAMPLED);
  }

  @Test
  void notInvertsSampledAndNotSampledAndPassesTheRestThrough() {
    Policy p =
        policy(
            "{name: n, type: not, not: {not_sub_policy: {name: h, type: string_attribute,"
                + " string_attribute: {key: url.path, values: [/health]}}}}");
    assertThat(p.type()).isEqualTo("not");
    assertThat(p.evaluate(trace(ok("url.path", "/health")))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(ok("url.path", "/api")))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok()))).isEqualTo(Decision.SAMPLED);

    Policy inverted =
        policy(
            "{name: n, type: not, not: {not_sub_policy: {name: h, type: string_attribute,"
                + " string_attribute: {key: url.path, values: [/health], invert_match: true}}}}");
    assertThat(inverted.evaluate(trace(ok("url.path", "/health"))))
        .isEqualTo(Decision.INVERTED_NOT_SAMPLED);
    assertThat(inverted.evaluate(trace(ok("url.path", "/api"))))
        .isEqualTo(Decision.INVERTED_SAMPLED);

    Policy flags =
        policy("{name: n, type: not, not: {not_sub_policy: {name: f, type: trace_flags}}}");
    assertThat(flags.evaluate(trace(ok().toBuilder().setFlags(1).build())))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(flags.evaluate(trace(ok()))).isEqualTo(Decision.SAMPLED);
  }

  @Test
  void notEvaluatesAStatefulSubPolicyOncePerTrace() {
    Policy p =
        policy(
            "{name: n, type: not, not: {not_sub_policy: {name: r, type: rate_limiting,"
                + " rate_limiting: {spans_per_second: 1, burst_capacity: 2}}}}");
    Span s = ok();
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED); // took 1 of 2
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED); // took the last
    assertThat(p.evaluate(trace(s)))
        .isEqualTo(Decision.SAMPLED); // the bucket is empty: the inverse samples
  }

  @Test
  void spanCountBounds() {
    Policy p = policy("{name: c, type: span_count, span_count: {min_spans: 2, max_spans: 3}}");
    Span s = ok();
    assertThat(p.evaluate(trace(s))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(s, s))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(s, s, s))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(s, s, s, s))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(
            policy("{name: c, type: span_count, span_count: {min_spans: 2}}")
                .evaluate(trace(s, s, s, s)))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void booleanAttributeAndInverted() {
    Policy p =
        policy("{name: b, type: boolean_attribute, boolean_attribute: {key: debug, value: true}}");
    assertThat(p.evaluate(trace(ok("debug", true)))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok("debug", false)))).isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(ok("debug", "true")))).isEqualTo(Decision.NOT_SAMPLED);
    Policy inv =
        policy(
            "{name: b, type: boolean_attribute, boolean_attribute: {key: debug, value: true,"
                + " invert_match: true}}");
    assertThat(inv.evaluate(trace(ok("debug", true)))).isEqualTo(Decision.INVERTED_NOT_SAMPLED);
    assertThat(inv.evaluate(trace(ok("debug", false)))).isEqualTo(Decision.INVERTED_SAMPLED);
  }

  @Test
  void ottlConditionOnSpansAndSpanEvents() {
    Policy p =
        policy(
            "{name: o, type: ottl_condition, ottl_condition: {span: ['attributes[\"http.route\"] =="
                + " \"/checkout\"'], spanevent: ['name == \"exception\"']}}");
    assertThat(p.evaluate(trace(ok("http.route", "/checkout")))).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(ok("http.route", "/cart")))).isEqualTo(Decision.NOT_SAMPLED);
    Span withEvent =
        ok().toBuilder().addEvents(Span.Event.newBuilder().setName("exception")).build();
    assertThat(p.evaluate(trace(withEvent))).isEqualTo(Decision.SAMPLED);
    Policy res =
        policy(
            "{name: o, type: ottl_condition, ottl_condition: {span: ['resource.attributes[\"svc\"]"
                + " == \"pay\"']}}");
    assertThat(res.evaluate(trace(traceId(1), List.of(kv("svc", "pay")), ok())))
        .isEqualTo(Decision.SAMPLED);
  }

  @Test
  void andNeedsEverySubPolicyAndDropDropsWhenAllMatch() {
    Policy and =
        policy(
            """
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
    Policy drop =
        policy(
            """
            name: d
            type: drop
            drop:
              drop_sub_policy:
                - {name: h, type: string_attribute, string_attribute: {key: k, values: [v]}}
            """);
    assertThat(drop.evaluate(trace(errV))).isEqualTo(Decision.DROPPED);
    assertThat(drop.evaluate(trace(errW))).isEqualTo(Decision.NOT_SAMPLED);
    Policy andInv =
        policy(
            """
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

  @Test
  void stringAttributeRegexResultsAreCachedButStayCorrectPastTheCacheSize() {
    Policy p =
        policy(
            "{name: s, type: string_attribute, string_attribute: {key: k, values: ['^/api/',"
                + " 'health$'], enabled_regex_matching: true, cache_max_size: 2}}");
    for (int round = 0;
        round < 3;
        round++) { // more distinct values than the cache holds, seen again and again
      assertThat(p.evaluate(trace(ok("k", "/api/cart")))).isEqualTo(Decision.SAMPLED);
      assertThat(p.evaluate(trace(ok("k", "/web/cart")))).isEqualTo(Decision.NOT_SAMPLED);
      assertThat(p.evaluate(trace(ok("k", "/healthz")))).isEqualTo(Decision.NOT_SAMPLED);
      assertThat(p.evaluate(trace(ok("k", "/x/health")))).isEqualTo(Decision.SAMPLED);
    }
    Policy dflt =
        policy(
            "{name: s, type: string_attribute, string_attribute: {key: k, values: ['a+'],"
                + " enabled_regex_matching: true, cache_max_size: 0}}");
    assertThat(dflt.evaluate(trace(ok("k", "baab")))).isEqualTo(Decision.SAMPLED);
  }

  static Span withTraceState(Span s, String ts) {
    return s.toBuilder().setTraceState(ts).build();
  }

  @Test
  void traceStateMatchesAValidW3cEntry() {
    Policy p =
        policy("{name: t, type: trace_state, trace_state: {key: tier, values: [gold, platinum]}}");
    ByteString id = traceId(6);
    Span plain = span(id, 0, 1, Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(p.evaluate(trace(plain, withTraceState(plain, "tier=gold"))))
        .isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(withTraceState(plain, "ot=th:8, tier=platinum ,\tvendor@sys=x"))))
        .isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(trace(withTraceState(plain, "tier=silver"))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(withTraceState(plain, "other=gold"))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(plain))).isEqualTo(Decision.NOT_SAMPLED);
    // an invalid header matches nothing, as the Go API's ParseTraceState fails on it
    assertThat(p.evaluate(trace(withTraceState(plain, "Tier=x,tier=gold"))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(withTraceState(plain, "tier=gold,tier=platinum"))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(withTraceState(plain, "tier=gold,novalue"))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(withTraceState(plain, "tier=go ld="))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(p.evaluate(trace(withTraceState(plain, ",tier=gold,,"))))
        .isEqualTo(Decision.SAMPLED); // empty: skipped
    assertThat(p.evaluate(trace(withTraceState(plain, " ,tier=gold"))))
        .isEqualTo(Decision.NOT_SAMPLED); // blank
    StringBuilder many = new StringBuilder("tier=gold");
    for (int i = 0; i < 32; i++) {
      many.append(",k").append(i).append("=v");
    }
    assertThat(p.evaluate(trace(withTraceState(plain, many.toString()))))
        .isEqualTo(Decision.NOT_SAMPLED);
    // a value that would make key=value longer than 256 characters is never matched (the
    // collector's filter)
    String longValue = "v".repeat(252);
    Policy longOne =
        policy(
            "{name: t, type: trace_state, trace_state: {key: tier, values: [" + longValue + "]}}");
    assertThat(longOne.evaluate(trace(withTraceState(plain, "tier=" + longValue))))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(TraceStates.get("tier=" + "v".repeat(250), "tier")).hasSize(250);
  }

  @Test
  void bytesLimitingIsATokenBucketOverTheProtobufSize() {
    ByteString id = traceId(7);
    TraceView t =
        trace(
            span(id, 0, 1, Status.StatusCode.STATUS_CODE_UNSET, "k", "v"),
            span(id, 0, 2, Status.StatusCode.STATUS_CODE_ERROR));
    long size = t.serializedSize();
    assertThat(size)
        .isEqualTo(
            io.opentelemetry.proto.trace.v1.TracesData.newBuilder()
                .addAllResourceSpans(t.fragments())
                .build()
                .getSerializedSize());
    // default burst: twice the rate, full at start
    Policy p =
        policy("{name: b, type: bytes_limiting, bytes_limiting: {bytes_per_second: " + size + "}}");
    assertThat(p.evaluate(t)).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(t)).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(t)).isEqualTo(Decision.NOT_SAMPLED); // empty; a refusal takes nothing
    clock.advance(Duration.ofMillis(500));
    assertThat(p.evaluate(t)).isEqualTo(Decision.NOT_SAMPLED); // half a trace refilled
    clock.advance(Duration.ofMillis(500));
    assertThat(p.evaluate(t)).isEqualTo(Decision.SAMPLED);
    clock.advance(Duration.ofSeconds(60));
    assertThat(p.evaluate(t)).isEqualTo(Decision.SAMPLED); // refill stops at the burst
    assertThat(p.evaluate(t)).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(t)).isEqualTo(Decision.NOT_SAMPLED);
    // a trace bigger than the burst is never sampled
    Policy small =
        policy(
            "{name: b, type: bytes_limiting, bytes_limiting: {bytes_per_second: "
                + (10 * size)
                + ", burst_capacity: "
                + (size - 1)
                + "}}");
    assertThat(small.evaluate(t)).isEqualTo(Decision.NOT_SAMPLED);
    Policy exact =
        policy(
            "{name: b, type: bytes_limiting, bytes_limiting: {bytes_per_second: 1,"
                + " burst_capacity: "
                + size
                + "}}");
    assertThat(exact.evaluate(t)).isEqualTo(Decision.SAMPLED);
    assertThat(exact.evaluate(t)).isEqualTo(Decision.NOT_SAMPLED);
  }

  private static TraceView spans(int n, Status.StatusCode code, Object... attrs) {
    ByteString id = traceId(8);
    Span[] s = new Span[n];
    for (int i = 0; i < n; i++) {
      s[i] = span(id, 0, 1, code, attrs);
    }
    return trace(s);
  }

  @Test
  void compositeGivesEachSubPolicyItsShareOfSpansPerSecond() {
    Policy p =
        policy(
            """
            name: c
            type: composite
            composite:
              max_total_spans_per_second: 8
              policy_order: [errors, vip, rest]
              composite_sub_policy:
                - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
                - {name: vip, type: string_attribute, string_attribute: {key: vip, values: ['yes']}}
                - {name: rest, type: always_sample}
              rate_allocation:
                - {policy: errors, percent: 50}
                - {policy: vip, percent: 25}
            """);
    TraceView err = spans(2, Status.StatusCode.STATUS_CODE_ERROR);
    TraceView vip = spans(2, Status.StatusCode.STATUS_CODE_OK, "vip", "yes");
    TraceView other = spans(1, Status.StatusCode.STATUS_CODE_OK);
    assertThat(p.evaluate(err)).isEqualTo(Decision.SAMPLED); // errors: 2 of 4
    assertThat(p.evaluate(err)).isEqualTo(Decision.SAMPLED); // 4 of 4 (<= as the collector)
    assertThat(p.evaluate(err)).isEqualTo(Decision.NOT_SAMPLED); // over: no fall-through to rest
    assertThat(p.evaluate(vip)).isEqualTo(Decision.SAMPLED); // vip: 2 of 2
    assertThat(p.evaluate(vip)).isEqualTo(Decision.NOT_SAMPLED); // unused errors budget is not lent
    assertThat(p.evaluate(other))
        .isEqualTo(Decision.NOT_SAMPLED); // rest has no allocation: 0 spans/s
    clock.advance(Duration.ofSeconds(1)); // a new second: every budget starts again
    assertThat(p.evaluate(vip)).isEqualTo(Decision.SAMPLED);
    assertThat(p.evaluate(err)).isEqualTo(Decision.SAMPLED);
  }

  @Test
  void compositeFollowsPolicyOrderAndSharesEquallyForPercentZero() {
    String cfg =
        """
        name: c
        type: composite
        composite:
          max_total_spans_per_second: 4
          %s
          composite_sub_policy:
            - {name: all, type: always_sample}
            - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
          rate_allocation:
            - {policy: all, percent: 0}
            - {policy: errors, percent: 0}
        """;
    TraceView err = spans(2, Status.StatusCode.STATUS_CODE_ERROR);
    Policy errorsFirst = policy(cfg.formatted("policy_order: [errors, all]"));
    assertThat(errorsFirst.evaluate(err)).isEqualTo(Decision.SAMPLED); // errors: 2 of 4 / 2 = 2
    assertThat(errorsFirst.evaluate(err))
        .isEqualTo(Decision.NOT_SAMPLED); // errors is out; "all" not asked
    Policy definitionOrder = policy(cfg.formatted(""));
    assertThat(definitionOrder.evaluate(err)).isEqualTo(Decision.SAMPLED); // all: 2 of 2
    assertThat(definitionOrder.evaluate(err)).isEqualTo(Decision.NOT_SAMPLED);
    // an and sub-policy, and an inverted match counting as a match
    Policy withAnd =
        policy(
            """
            name: c
            type: composite
            composite:
              max_total_spans_per_second: 100
              composite_sub_policy:
                - name: slow-errors
                  type: and
                  and:
                    and_sub_policy:
                      - {name: e, type: status_code, status_code: {status_codes: [ERROR]}}
                      - {name: s, type: span_count, span_count: {min_spans: 3}}
                - {name: not-debug, type: boolean_attribute, boolean_attribute: {key: debug, value: true,
                    invert_match: true}}
              rate_allocation:
                - {policy: slow-errors, percent: 10}
                - {policy: not-debug, percent: 3}
            """);
    assertThat(withAnd.evaluate(spans(3, Status.StatusCode.STATUS_CODE_ERROR, "debug", true)))
        .isEqualTo(Decision.SAMPLED);
    assertThat(withAnd.evaluate(spans(2, Status.StatusCode.STATUS_CODE_ERROR, "debug", true)))
        .isEqualTo(Decision.NOT_SAMPLED);
    assertThat(withAnd.evaluate(spans(3, Status.StatusCode.STATUS_CODE_OK, "debug", false)))
        .isEqualTo(Decision.SAMPLED); // not-debug inverted-samples: 3 of 3
    assertThat(withAnd.evaluate(spans(1, Status.StatusCode.STATUS_CODE_OK, "debug", false)))
        .isEqualTo(Decision.NOT_SAMPLED); // 4 > 3
  }

  @Test
  void dropPoliciesRunFirstSoABudgetIsNotSpentOnDroppedTraces() {
    Policy rate =
        policy("{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 2}}"); // 4 tokens
    Policy drop =
        policy(
            "{name: d, type: drop, drop: {drop_sub_policy: [{name: h, type: string_attribute,"
                + " string_attribute: {key: url.path, values: [/health]}}]}}");
    DecisionEngine e = new DecisionEngine(List.of(rate, drop));
    assertThat(e.policies()).containsExactly(drop, rate);
    TraceView health = spans(2, Status.StatusCode.STATUS_CODE_OK, "url.path", "/health");
    TraceView api = spans(2, Status.StatusCode.STATUS_CODE_OK, "url.path", "/api");
    assertThat(e.decide(health).decisions()).containsExactly(Decision.DROPPED);
    assertThat(e.decide(health).sampled()).isFalse();
    DecisionEngine.Outcome o = e.decide(api);
    assertThat(o.sampled())
        .isTrue(); // the two health traces (2 x 2 spans) took nothing from the 4 tokens
    assertThat(o.decisions()).containsExactly(Decision.NOT_SAMPLED, Decision.SAMPLED);
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
    DecisionEngine e =
        new DecisionEngine(
            List.of(
                fixed("a", Decision.SAMPLED),
                fixed("d", Decision.DROPPED),
                fixed("b", Decision.SAMPLED)));
    DecisionEngine.Outcome o = e.decide(trace(ok()));
    assertThat(o.sampled()).isFalse();
    assertThat(o.decisions()).containsExactly(Decision.SAMPLED, Decision.DROPPED);
    assertThat(DecisionEngine.combine(EnumSet.of(Decision.SAMPLED, Decision.INVERTED_SAMPLED)))
        .isTrue();
  }

  @Test
  void sampleOnFirstMatchStopsAtTheFirstSampled() {
    Policy a = fixed("a", Decision.NOT_SAMPLED);
    Policy b = fixed("b", Decision.SAMPLED);
    Policy veto = fixed("v", Decision.INVERTED_NOT_SAMPLED);
    Policy inv = fixed("i", Decision.INVERTED_SAMPLED);
    TraceView t = trace(ok());

    DecisionEngine first = new DecisionEngine(List.of(a, b, veto), true);
    assertThat(first.decide(t).decisions()).containsExactly(Decision.NOT_SAMPLED, Decision.SAMPLED);
    assertThat(first.decide(t).sampled()).isTrue(); // the veto after the match is never asked
    DecisionEngine all = new DecisionEngine(List.of(a, b, veto));
    assertThat(all.decide(t).decisions()).hasSize(3);
    assertThat(all.decide(t).sampled()).isFalse();

    DecisionEngine vetoFirst = new DecisionEngine(List.of(veto, b, a), true);
    assertThat(vetoFirst.decide(t).decisions())
        .containsExactly(Decision.INVERTED_NOT_SAMPLED, Decision.SAMPLED);
    assertThat(vetoFirst.decide(t).sampled()).isFalse(); // a veto before the match still counts

    DecisionEngine inverted =
        new DecisionEngine(List.of(inv, a, b), true); // an inverted sampled is no match
    assertThat(inverted.decide(t).decisions())
        .containsExactly(Decision.INVERTED_SAMPLED, Decision.NOT_SAMPLED, Decision.SAMPLED);
    assertThat(inverted.decide(t).sampled()).isTrue();
  }

  @Test
  void sampleOnFirstMatchStillLetsDropPoliciesWinAndSparesLaterBudgets() {
    Policy keep = policy("{name: e, type: status_code, status_code: {status_codes: [ERROR]}}");
    Policy rate =
        policy("{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 1}}"); // 2 tokens
    Policy drop =
        policy(
            "{name: d, type: drop, drop: {drop_sub_policy: [{name: h, type: string_attribute,"
                + " string_attribute: {key: url.path, values: [/health]}}]}}");
    DecisionEngine e = new DecisionEngine(List.of(keep, rate, drop), true);
    TraceView healthError = spans(1, Status.StatusCode.STATUS_CODE_ERROR, "url.path", "/health");
    assertThat(e.decide(healthError).decisions())
        .containsExactly(Decision.DROPPED); // drops run first
    assertThat(e.decide(healthError).sampled()).isFalse();
    TraceView error = spans(2, Status.StatusCode.STATUS_CODE_ERROR, "url.path", "/api");
    for (int i = 0; i < 3; i++) { // the first match ends before rate_limiting: no tokens taken
      assertThat(e.decide(error).decisions())
          .containsExactly(Decision.NOT_SAMPLED, Decision.SAMPLED);
    }
    TraceView fine = spans(2, Status.StatusCode.STATUS_CODE_OK, "url.path", "/api");
    assertThat(e.decide(fine).decisions())
        .containsExactly(
            Decision.NOT_SAMPLED,
            Decision.NOT_SAMPLED,
            Decision.SAMPLED); // both tokens were still there
    assertThat(e.decide(fine).sampled()).isFalse(); // now they are gone
  }
}
