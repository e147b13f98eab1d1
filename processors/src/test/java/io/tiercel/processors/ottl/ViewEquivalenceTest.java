package io.tiercel.processors.ottl;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.processors.filter.Filters;
import io.tiercel.processors.ottl.context.Contexts;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.transform.TransformRunner;
import io.tiercel.testing.pdata.GeneratedTraces;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The traces view against the parsed path: every span path reads the same value from the wire as
 * from the parsed span, and every traces case of the OTTL case table, and generated statements and
 * conditions over generated data, give the same output, drops, failures and errors on both paths,
 * with the view's serialized bytes parsing to exactly the message the parsed path produced.
 */
class ViewEquivalenceTest {
  private static final String[] KEYS = {"http.request.method", "url.path", "k", "", "é", "nope"};

  /** An outcome: the data (parsed), the count dropped, the failures counted, or the error. */
  record Outcome(Object data, long dropped, long failures) {}

  private static Outcome outcome(Supplier<Object[]> run, Errors errors) {
    try {
      Object[] r = run.get();
      return new Outcome(r[0], (Long) r[1], errors.failures());
    } catch (RuntimeException e) {
      return new Outcome(e.getClass().getName() + ": " + e.getMessage(), -1, errors.failures());
    }
  }

  private static Errors errors() {
    return new Errors(LoggerFactory.getLogger(ViewEquivalenceTest.class), "test");
  }

  private static TracesData parse(TracesView v) {
    return Traces.ofView(v).message();
  }

  /** Runs a transform group both ways and checks the outcomes are equal. */
  private static void sameTransform(Group g, byte[] bytes) throws Exception {
    Errors pe = errors();
    Outcome parsed =
        outcome(
            () -> {
              TracesData in = Traces.ofBytes(bytes).message();
              return new Object[] {
                new TransformRunner(List.of(g), OttlCaseTest.CLOCK, pe).apply(in), 0L
              };
            },
            pe);
    Errors ve = errors();
    Outcome view =
        outcome(
            () -> {
              TracesView v = Traces.ofBytes(bytes).view();
              new TransformRunner(List.of(g), OttlCaseTest.CLOCK, ve).apply(v);
              return new Object[] {parse(v), 0L};
            },
            ve);
    assertThat(view).isEqualTo(parsed);
  }

  private static void sameFilter(List<Condition> conds, ErrorMode mode, byte[] bytes)
      throws Exception {
    Errors pe = errors();
    Outcome parsed =
        outcome(
            () -> {
              TracesData in = Traces.ofBytes(bytes).message();
              Filters.Result<TracesData> r =
                  Filters.of(conds, mode, pe, OttlCaseTest.CLOCK).apply(in);
              return new Object[] {r.data() == null ? "none" : r.data(), r.dropped()};
            },
            pe);
    Errors ve = errors();
    Outcome view =
        outcome(
            () -> {
              TracesView v = Traces.ofBytes(bytes).view();
              Filters.Result<TracesView> r =
                  Filters.of(conds, mode, ve, OttlCaseTest.CLOCK).apply(v);
              return new Object[] {r.data() == null ? "none" : parse(v), r.dropped()};
            },
            ve);
    assertThat(view).isEqualTo(parsed);
  }

  static Stream<Arguments> traceCases() throws Exception {
    return OttlCaseTest.cases()
        .filter(
            a ->
                ((OttlCaseTest.Case) ((org.junit.jupiter.api.Named<?>) a.get()[0]).getPayload())
                        .signal()
                    == Signal.TRACES);
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object o) {
    return o == null ? List.of() : o instanceof String str ? List.of(str) : (List<String>) o;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("traceCases")
  void everyTracesCaseGivesTheSameOutcomeOnTheView(OttlCaseTest.Case k) throws Exception {
    Map<String, Object> s = k.spec();
    if (s.containsKey("expect_error")) {
      return; // a compile error: no data involved
    }
    OttlContext ctx =
        s.get("context") == null ? null : OttlContext.parse((String) s.get("context"));
    ErrorMode mode =
        s.containsKey("error_mode")
            ? ErrorMode.valueOf(((String) s.get("error_mode")).toUpperCase(Locale.ROOT))
            : ErrorMode.PROPAGATE;
    @SuppressWarnings("unchecked")
    TracesData data = Fixtures.traces((Map<String, Object>) s.get("input"));
    byte[] bytes = data.toByteArray();
    if (s.containsKey("condition")) {
      Condition c = OttlCaseTest.OTTL.condition((String) s.get("condition"), ctx, Signal.TRACES);
      int item = s.containsKey("item") ? ((Number) s.get("item")).intValue() : 0;
      sameCondition(c, data, bytes, item);
    } else if (s.containsKey("filter")) {
      List<Condition> conds = new ArrayList<>();
      for (String text : strings(s.get("filter"))) {
        conds.add(OttlCaseTest.OTTL.condition(text, ctx, Signal.TRACES));
      }
      sameFilter(conds, mode, bytes);
    } else {
      Group g =
          OttlCaseTest.TRANSFORM.group(
              strings(s.get("statements")), strings(s.get("conditions")), ctx, Signal.TRACES, mode);
      sameTransform(g, bytes);
    }
  }

  private static void sameCondition(Condition c, TracesData data, byte[] bytes, int item) {
    ResourceSpans rs = data.getResourceSpans(0);
    ScopeSpans ss = rs.getScopeSpans(0);
    CurrentItem p =
        new CurrentItem(OttlCaseTest.CLOCK)
            .resource(rs.getResource())
            .resourceHolder(rs)
            .scope(ss.getScope())
            .scopeHolder(ss);
    TracesView v = Traces.ofBytes(bytes).view();
    CurrentItem w = new CurrentItem(OttlCaseTest.CLOCK).viewResource(v, 0).viewScope(0);
    if (c.context() == OttlContext.SPANEVENT) {
      p.span(ss.getSpans(0)).event(ss.getSpans(0).getEvents(item), item);
      w.viewSpan(0).event(ss.getSpans(0).getEvents(item), item);
    } else {
      p.span(ss.getSpans(item));
      w.viewSpan(item);
    }
    assertThat(evaluate(() -> c.test(w))).isEqualTo(evaluate(() -> c.test(p)));
    assertThat(v.modifications()).isZero();
  }

  private static Object evaluate(Supplier<Object> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @Test
  void everySpanPathReadsFromTheWireWhatTheParsedSpanHolds() throws Exception {
    List<String> fields = new ArrayList<>();
    for (String f :
        new String[] {
          "trace_id",
          "trace_id.string",
          "span_id",
          "span_id.string",
          "parent_span_id",
          "parent_span_id.string",
          "trace_state",
          "name",
          "kind",
          "kind.string",
          "kind.deprecated_string",
          "start_time_unix_nano",
          "end_time_unix_nano",
          "start_time",
          "end_time",
          "attributes",
          "dropped_attributes_count",
          "dropped_events_count",
          "dropped_links_count",
          "status.code",
          "status.message",
          "flags"
        }) {
      fields.add(f);
    }
    int checked = 0;
    for (int seed = 0; seed < 300; seed++) {
      GeneratedTraces gen = new GeneratedTraces(seed);
      byte[] bytes = gen.wire(gen.traces());
      TracesData data = TracesData.parseFrom(bytes);
      TracesView v = Traces.ofBytes(bytes).view();
      int r = 0;
      int s = 0;
      int i = 0;
      for (ResourceSpans rs : data.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            CurrentItem p =
                new CurrentItem(OttlCaseTest.CLOCK)
                    .resource(rs.getResource())
                    .resourceHolder(rs)
                    .scope(ss.getScope())
                    .scopeHolder(ss)
                    .span(span);
            CurrentItem w =
                new CurrentItem(OttlCaseTest.CLOCK).viewResource(v, r).viewScope(s).viewSpan(i);
            for (String f : fields) {
              Accessor a = Contexts.resolve(OttlContext.SPAN, f, new Getter[0], 1, f);
              assertThat(evaluate(() -> a.get(w)))
                  .as("%s seed %d", f, seed)
                  .isEqualTo(evaluate(() -> a.get(p)));
              checked++;
            }
            for (String key : KEYS) {
              Getter[] keys = {c -> key};
              for (OttlContext ctx :
                  new OttlContext[] {OttlContext.SPAN, OttlContext.RESOURCE, OttlContext.SCOPE}) {
                Accessor a = Contexts.resolve(ctx, "attributes", keys, 1, "attributes");
                assertThat(evaluate(() -> a.get(w)))
                    .as("%s[%s] seed %d", ctx, key, seed)
                    .isEqualTo(evaluate(() -> a.get(p)));
              }
            }
            Accessor ts =
                Contexts.resolve(
                    OttlContext.SPAN, "trace_state", new Getter[] {c -> "a"}, 1, "trace_state");
            assertThat(evaluate(() -> ts.get(w))).isEqualTo(evaluate(() -> ts.get(p)));
            i++;
          }
          s++;
        }
        r++;
      }
      assertThat(v.modifications()).as("reads edit nothing").isZero();
    }
    assertThat(checked).isGreaterThan(10_000);
  }

  private static final List<String> STATEMENTS =
      List.of(
          "set(span.name, \"renamed\") where span.kind == SPAN_KIND_SERVER",
          "set(span.attributes[\"tier\"], \"processing\")",
          "set(span.attributes[\"m\"], span.attributes[\"http.request.method\"])"
              + " where span.attributes[\"url.path\"] != nil",
          "delete_key(span.attributes, \"k\")",
          "keep_keys(span.attributes, [\"url.path\", \"k\"]) where span.status.code == 2",
          "truncate_all(span.attributes, 2)",
          "set(span.status.code, 1) where span.status.message == \"boom\"",
          "set(span.status.message, \"ok\") where span.flags > 100",
          "set(span.kind, 3) where span.name == \"x\"",
          "set(span.start_time_unix_nano, 5) where span.end_time_unix_nano > 4000000000000000000",
          "set(span.trace_state, \"x=y\") where span.trace_state != \"\"",
          "set(span.dropped_attributes_count, 9) where span.dropped_events_count == 1",
          "set(span.trace_id.string, \"0102030405060708090a0b0c0d0e0f10\")"
              + " where span.parent_span_id.string == \"\"",
          "set(resource.attributes[\"tier\"], \"p\") where resource.attributes[\"k\"] != nil",
          "delete_key(resource.attributes, \"process.pid\")",
          "set(resource.schema_url, \"u\") where resource.attributes[\"service.name\"] == \"span\"",
          "set(scope.name, \"s\") where scope.version == \"1.0\"",
          "set(scope.attributes[\"a\"], \"b\") where scope.attributes[\"url.path\"] != nil",
          "set(spanevent.name, \"e\") where spanevent.attributes[\"process.pid\"] == true",
          "set(span.attributes[\"bad\"], Int(span.name))");

  private static final List<String> CONDITIONS =
      List.of(
          "span.kind == SPAN_KIND_CLIENT",
          "span.name == \"SELECT\" and span.status.code == 1",
          "span.attributes[\"http.request.method\"] == \"GET /\"",
          "IsMatch(span.attributes[\"url.path\"], \"^S\")",
          "resource.attributes[\"service.name\"] == \"x\"",
          "scope.name == \"naïve\"",
          "spanevent.name == \"span\"",
          "span.end_time_unix_nano < span.start_time_unix_nano",
          "span.trace_id.string == \"00000000000000000000000000000000\"",
          "Int(span.name) > 3");

  @Test
  void generatedStatementsAndConditionsGiveTheSameOutcome() throws Exception {
    Ottl ottl = OttlCaseTest.OTTL;
    for (int seed = 0; seed < 300; seed++) {
      java.util.Random random = new java.util.Random(seed);
      GeneratedTraces gen = new GeneratedTraces(seed);
      byte[] bytes = gen.wire(gen.traces());
      ErrorMode mode = random.nextBoolean() ? ErrorMode.IGNORE : ErrorMode.PROPAGATE;
      String st = STATEMENTS.get(random.nextInt(STATEMENTS.size()));
      sameTransform(ottl.group(List.of(st), List.of(), null, Signal.TRACES, mode), bytes);
      List<Condition> conds = new ArrayList<>();
      for (int n = 1 + random.nextInt(2); n > 0; n--) {
        conds.add(
            ottl.condition(CONDITIONS.get(random.nextInt(CONDITIONS.size())), null, Signal.TRACES));
      }
      sameFilter(conds, mode, bytes);
    }
  }

  @Test
  void attributesAppendedOnTheWireAreReadAndEditedLikeParsedOnes() throws Exception {
    Group g =
        OttlCaseTest.OTTL.group(
            List.of(
                "set(span.attributes[\"new\"], \"v\")",
                "set(span.attributes[\"new2\"], Concat([span.attributes[\"new\"], \"w\"], \"\"))",
                "set(span.attributes[\"new\"], 3) where span.kind == SPAN_KIND_CLIENT",
                "set(span.name, span.attributes[\"new2\"]) where span.kind == SPAN_KIND_SERVER",
                "delete_key(span.attributes, \"new\") where span.flags > 500",
                "set(span.attributes[\"k\"], \"replaced\")"),
            List.of(),
            null,
            Signal.TRACES,
            ErrorMode.PROPAGATE);
    for (int seed = 0; seed < 300; seed++) {
      GeneratedTraces gen = new GeneratedTraces(seed);
      sameTransform(g, gen.wire(gen.traces()));
    }
  }

  @Test
  void filterThenTransformOnOneViewMatchesTheParsedChain() throws Exception {
    Ottl ottl = OttlCaseTest.OTTL;
    for (int seed = 0; seed < 200; seed++) {
      GeneratedTraces gen = new GeneratedTraces(seed);
      byte[] bytes = gen.wire(gen.traces());
      List<Condition> conds =
          List.of(ottl.condition(CONDITIONS.get(seed % 4), null, Signal.TRACES));
      Group g =
          ottl.group(
              List.of(STATEMENTS.get(seed % STATEMENTS.size())),
              List.of(),
              null,
              Signal.TRACES,
              ErrorMode.IGNORE);
      Errors e = errors();
      Filters.Result<TracesData> pf =
          Filters.of(conds, ErrorMode.IGNORE, e, OttlCaseTest.CLOCK)
              .apply(TracesData.parseFrom(bytes));
      Object want =
          pf.data() == null
              ? "none"
              : new TransformRunner(List.of(g), OttlCaseTest.CLOCK, e).apply(pf.data());
      Traces t = Traces.ofBytes(bytes);
      TracesView v = t.view();
      Filters.Result<TracesView> vf =
          Filters.of(conds, ErrorMode.IGNORE, e, OttlCaseTest.CLOCK).apply(v);
      Object got = "none";
      if (vf.data() != null) {
        Traces mid = Traces.ofView(v);
        TracesView v2 = mid.view();
        new TransformRunner(List.of(g), OttlCaseTest.CLOCK, e).apply(v2);
        got = Traces.ofView(v2).message();
        assertThat(Traces.ofView(v2).itemCount())
            .isEqualTo(Traces.of((TracesData) want).itemCount());
      }
      assertThat(got).as("seed %d", seed).isEqualTo(want);
      assertThat(Objects.requireNonNull(t.bytes())).isSameAs(bytes);
    }
  }
}
