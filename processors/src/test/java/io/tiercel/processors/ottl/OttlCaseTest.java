package io.tiercel.processors.ottl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.filter.FilterFactory;
import io.tiercel.processors.filter.Filters;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import io.tiercel.processors.transform.TransformFactory;
import io.tiercel.processors.transform.TransformRunner;
import io.tiercel.processors.transform.functions.TransformFunctions;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * The OTTL case table ({@code src/test/resources/ottl-cases.yaml}): each named case runs statements
 * (a transform group), one condition, or filter conditions on the fixture batch of its signal and
 * checks the result field by field, or expects an exact compile or runtime error message.
 */
class OttlCaseTest {
  static final Ottl OTTL = new Ottl(FunctionRegistry.standard());

  /** Statements run as transform groups, with the transform processor's functions and contexts. */
  static final Ottl TRANSFORM = Ottl.withExemplarContext(TransformFunctions.registry());

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  record Case(Signal signal, Map<String, Object> spec) {}

  @SuppressWarnings("unchecked")
  static Stream<Arguments> cases() throws Exception {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = OttlCaseTest.class.getResourceAsStream("/ottl-cases.yaml")) {
      Map<String, List<Map<String, Object>>> all = new Yaml().load(in);
      for (Map.Entry<String, List<Map<String, Object>>> e : all.entrySet()) {
        Signal signal = Signal.fromId(e.getKey());
        for (Map<String, Object> spec : e.getValue()) {
          out.add(
              Arguments.of(Named.of(e.getKey() + ": " + spec.get("name"), new Case(signal, spec))));
        }
      }
    }
    return out.stream();
  }

  @Test
  void tableHasAtLeast150NamedUniqueCases() throws Exception {
    List<String> names = cases().map(a -> ((Named<?>) a.get()[0]).getName()).toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(150).doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void run(Case k) {
    Map<String, Object> s = k.spec();
    String ctxName = (String) s.get("context");
    OttlContext ctx = ctxName == null ? null : OttlContext.parse(ctxName);
    // unset: the processor's default under the case's feature_gates, as transform and filter do
    ErrorMode mode =
        s.containsKey("error_mode")
            ? ErrorMode.valueOf(((String) s.get("error_mode")).toUpperCase(Locale.ROOT))
            : null;
    FeatureGates gates =
        FeatureGates.of(
                s.containsKey("filter")
                    ? new FilterFactory().featureGates()
                    : new TransformFactory().featureGates())
            .apply(strings(s.get("feature_gates")));
    ErrorMode unset =
        s.containsKey("filter")
            ? FilterFactory.defaultErrorMode(gates)
            : TransformFactory.defaultErrorMode(gates);
    @SuppressWarnings("unchecked")
    Map<String, Object> input = (Map<String, Object>) s.get("input");
    Object data =
        switch (k.signal()) {
          case TRACES -> Fixtures.traces(input);
          case METRICS -> Fixtures.metrics(input);
          case LOGS -> Fixtures.logs(input);
          case PROFILES -> throw new IllegalArgumentException("OTTL has no profiles cases");
        };
    Errors errors = new Errors(LoggerFactory.getLogger(OttlCaseTest.class), "test", unset);
    if (s.containsKey("condition")) {
      runCondition(k, s, ctx, data);
    } else if (s.containsKey("filter")) {
      runFilter(k, s, ctx, mode, data, errors);
    } else {
      runStatements(k, s, ctx, mode, data, errors);
    }
    if (s.containsKey("failures")) {
      assertThat(errors.failures())
          .as("failures")
          .isEqualTo(((Number) s.get("failures")).longValue());
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object o) {
    return o == null ? List.of() : o instanceof String str ? List.of(str) : (List<String>) o;
  }

  private void runStatements(
      Case k,
      Map<String, Object> s,
      @Nullable OttlContext ctx,
      @Nullable ErrorMode mode,
      Object data,
      Errors errors) {
    List<String> statements = strings(s.get("statements"));
    List<String> conditions = strings(s.get("conditions"));
    if (s.containsKey("expect_error")) {
      assertThatThrownBy(() -> TRANSFORM.group(statements, conditions, ctx, k.signal(), mode))
          .isInstanceOf(OttlException.class)
          .hasMessage((String) s.get("expect_error"));
      return;
    }
    Group g = TRANSFORM.group(statements, conditions, ctx, k.signal(), mode);
    TransformRunner r = new TransformRunner(List.of(g), CLOCK, errors);
    if (s.containsKey("expect_runtime_error")) {
      assertThatThrownBy(() -> apply(r, data))
          .isInstanceOf(PermanentException.class)
          .hasMessage((String) s.get("expect_runtime_error"));
      return;
    }
    Object out = apply(r, data);
    check(s, out);
  }

  private static Object apply(TransformRunner r, Object data) {
    if (data instanceof TracesData t) {
      return r.apply(t);
    } else if (data instanceof MetricsData m) {
      return r.apply(m);
    }
    return r.apply((LogsData) data);
  }

  @SuppressWarnings("unchecked")
  private static void check(Map<String, Object> s, Object out) {
    Map<String, Object> expect = (Map<String, Object>) s.get("expect");
    assertThat(expect).as("case needs expect").isNotNull();
    for (Map.Entry<String, Object> e : expect.entrySet()) {
      Object actual = out == null ? null : Render.field(out, e.getKey());
      assertThat(actual).as(e.getKey()).isEqualTo(norm(e.getValue()));
    }
  }

  private void runFilter(
      Case k,
      Map<String, Object> s,
      @Nullable OttlContext ctx,
      @Nullable ErrorMode mode,
      Object data,
      Errors errors) {
    List<Condition> conds = new ArrayList<>();
    for (String text : strings(s.get("filter"))) {
      if (s.containsKey("expect_error")) {
        assertThatThrownBy(() -> OTTL.condition(text, ctx, k.signal()))
            .isInstanceOf(OttlException.class)
            .hasMessage((String) s.get("expect_error"));
        return;
      }
      conds.add(OTTL.condition(text, ctx, k.signal()));
    }
    Filters f = Filters.of(conds, mode, errors, CLOCK);
    if (s.containsKey("expect_runtime_error")) {
      assertThatThrownBy(() -> filter(f, data))
          .isInstanceOf(PermanentException.class)
          .hasMessage((String) s.get("expect_runtime_error"));
      return;
    }
    Filters.Result<?> r = filter(f, data);
    if (s.containsKey("dropped")) {
      assertThat(r.dropped()).as("dropped").isEqualTo(((Number) s.get("dropped")).longValue());
    }
    if (s.containsKey("unchanged")) {
      assertThat(r.data() == data)
          .as("same object when nothing dropped")
          .isEqualTo(s.get("unchanged"));
    }
    if (Boolean.TRUE.equals(s.get("all_dropped"))) {
      assertThat(r.data()).isNull();
      return;
    }
    check(s, r.data());
  }

  private static Filters.Result<?> filter(Filters f, Object data) {
    if (data instanceof TracesData t) {
      return f.apply(t);
    } else if (data instanceof MetricsData m) {
      return f.apply(m);
    }
    return f.apply((LogsData) data);
  }

  private void runCondition(Case k, Map<String, Object> s, OttlContext ctx, Object data) {
    String text = (String) s.get("condition");
    if (s.containsKey("expect_error")) {
      assertThatThrownBy(() -> OTTL.condition(text, ctx, k.signal()))
          .isInstanceOf(OttlException.class)
          .hasMessage((String) s.get("expect_error"));
      return;
    }
    Condition c = OTTL.condition(text, ctx, k.signal());
    int item = s.containsKey("item") ? ((Number) s.get("item")).intValue() : 0;
    CurrentItem t = new CurrentItem(CLOCK);
    if (data instanceof TracesData td) {
      var rs = td.getResourceSpans(0);
      var ss = rs.getScopeSpans(0);
      t.resource(rs.getResource()).resourceHolder(rs).scope(ss.getScope()).scopeHolder(ss);
      if (c.context() == OttlContext.SPANEVENT) {
        t.span(ss.getSpans(0)).event(ss.getSpans(0).getEvents(item), item);
      } else {
        t.span(ss.getSpans(item));
      }
    } else if (data instanceof MetricsData md) {
      var rm = md.getResourceMetrics(0);
      var sm = rm.getScopeMetrics(0);
      int metric = s.containsKey("metric") ? ((Number) s.get("metric")).intValue() : 0;
      Metric m = sm.getMetrics(c.context() == OttlContext.METRIC ? item : metric);
      t.resource(rm.getResource())
          .resourceHolder(rm)
          .scope(sm.getScope())
          .scopeHolder(sm)
          .metric(m);
      if (c.context() == OttlContext.DATAPOINT) {
        t.dataPoint(
            switch (m.getDataCase()) {
              case GAUGE -> m.getGauge().getDataPoints(item);
              case SUM -> m.getSum().getDataPoints(item);
              case HISTOGRAM -> m.getHistogram().getDataPoints(item);
              default -> throw new AssertionError(m.getDataCase());
            });
      }
    } else {
      LogsData ld = (LogsData) data;
      var rl = ld.getResourceLogs(0);
      var sl = rl.getScopeLogs(0);
      t.resource(rl.getResource())
          .resourceHolder(rl)
          .scope(sl.getScope())
          .scopeHolder(sl)
          .log(sl.getLogRecords(item));
    }
    if (s.containsKey("expect_runtime_error")) {
      assertThatThrownBy(() -> c.test(t))
          .isInstanceOf(OttlRuntimeException.class)
          .hasMessage((String) s.get("expect_runtime_error"));
      return;
    }
    assertThat(c.test(t)).as(text).isEqualTo(s.get("expect"));
    if (s.containsKey("expect_context")) {
      assertThat(c.context().id()).isEqualTo(s.get("expect_context"));
    }
  }

  @SuppressWarnings("unchecked")
  static Object norm(Object v) {
    if (v instanceof Integer i) {
      return (long) i;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) m).forEach((a, b) -> out.put(a, norm(b)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(norm(x)));
      return out;
    }
    return v;
  }
}
