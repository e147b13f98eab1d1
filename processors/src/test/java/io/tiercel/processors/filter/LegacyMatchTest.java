package io.tiercel.processors.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.YamlBinder;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.eval.Values;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * The legacy matcher forms ({@code spans}, {@code metrics}/{@code logs} {@code include}/{@code
 * exclude}), table-driven from {@code testdata/filter/legacy_cases.yaml}: a config, input items
 * (each in a resource and scope of its own) and the names of the items kept.
 */
class LegacyMatchTest {
  @SuppressWarnings("unchecked")
  static Stream<Arguments> cases() throws Exception {
    try (InputStream in =
        LegacyMatchTest.class.getResourceAsStream("/testdata/filter/legacy_cases.yaml")) {
      Map<String, Object> all = new Yaml().load(in);
      return all.entrySet().stream()
          .map(e -> Arguments.of(Named.of(e.getKey(), (Map<String, Object>) e.getValue())));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void keepsWhatTheCollectorKeeps(Map<String, Object> spec) {
    FilterConfig c =
        YamlBinder.bind(
            new FilterFactory().createDefaultConfig(), (Map<String, Object>) spec.get("config"));
    List<Map<String, Object>> items = (List<Map<String, Object>>) spec.get("items");
    Filters f =
        new Filters(
            c.conditions(signal(spec)),
            c.legacySkips(signal(spec)),
            new Errors(LoggerFactory.getLogger(LegacyMatchTest.class), "test"),
            Clock.systemUTC());
    List<String> kept =
        switch (signal(spec)) {
          case TRACES -> spans(f.apply(traces(items)).data());
          case METRICS -> metrics(f.apply(metrics(items)).data());
          case LOGS -> logs(f.apply(logs(items)).data());
          case PROFILES -> throw new IllegalArgumentException("filter has no profiles cases");
        };
    assertThat(kept).containsExactlyElementsOf((List<String>) spec.get("kept"));
  }

  private static Signal signal(Map<String, Object> spec) {
    return Signal.valueOf(((String) spec.get("signal")).toUpperCase(java.util.Locale.ROOT));
  }

  @SuppressWarnings("unchecked")
  private static Resource resource(Map<String, Object> item) {
    Map<String, Object> attrs = (Map<String, Object>) item.getOrDefault("resource", Map.of());
    return Resource.newBuilder().addAllAttributes(Values.toKeyValues(attrs)).build();
  }

  private static InstrumentationScope scope(Map<String, Object> item) {
    return InstrumentationScope.newBuilder()
        .setName((String) item.getOrDefault("scope", ""))
        .setVersion((String) item.getOrDefault("scope_version", ""))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> attributes(Map<String, Object> item) {
    return (Map<String, Object>) item.getOrDefault("attributes", Map.of());
  }

  private static TracesData traces(List<Map<String, Object>> items) {
    TracesData.Builder b = TracesData.newBuilder();
    for (Map<String, Object> i : items) {
      Span span =
          Span.newBuilder()
              .setName((String) i.get("name"))
              .setKind(Span.SpanKind.valueOf((String) i.getOrDefault("kind", "SPAN_KIND_INTERNAL")))
              .addAllAttributes(Values.toKeyValues(attributes(i)))
              .build();
      b.addResourceSpans(
          ResourceSpans.newBuilder()
              .setResource(resource(i))
              .addScopeSpans(ScopeSpans.newBuilder().setScope(scope(i)).addSpans(span)));
    }
    return b.build();
  }

  private static MetricsData metrics(List<Map<String, Object>> items) {
    MetricsData.Builder b = MetricsData.newBuilder();
    for (Map<String, Object> i : items) {
      Metric m =
          Metric.newBuilder()
              .setName((String) i.get("name"))
              .setGauge(
                  Gauge.newBuilder()
                      .addDataPoints(
                          NumberDataPoint.newBuilder()
                              .setAsInt(1)
                              .addAllAttributes(Values.toKeyValues(attributes(i)))))
              .build();
      b.addResourceMetrics(
          ResourceMetrics.newBuilder()
              .setResource(resource(i))
              .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope(i)).addMetrics(m)));
    }
    return b.build();
  }

  private static LogsData logs(List<Map<String, Object>> items) {
    LogsData.Builder b = LogsData.newBuilder();
    for (Map<String, Object> i : items) {
      LogRecord r =
          LogRecord.newBuilder()
              .setBody(AnyValue.newBuilder().setStringValue((String) i.get("name")))
              .setSeverityNumberValue(((Number) i.getOrDefault("severity_number", 0)).intValue())
              .setSeverityText((String) i.getOrDefault("severity_text", ""))
              .addAllAttributes(Values.toKeyValues(attributes(i)))
              .build();
      b.addResourceLogs(
          ResourceLogs.newBuilder()
              .setResource(resource(i))
              .addScopeLogs(ScopeLogs.newBuilder().setScope(scope(i)).addLogRecords(r)));
    }
    return b.build();
  }

  private static List<String> spans(TracesData d) {
    List<String> out = new ArrayList<>();
    if (d != null) {
      d.getResourceSpansList()
          .forEach(
              r ->
                  r.getScopeSpansList()
                      .forEach(s -> s.getSpansList().forEach(x -> out.add(x.getName()))));
    }
    return out;
  }

  private static List<String> metrics(MetricsData d) {
    List<String> out = new ArrayList<>();
    if (d != null) {
      d.getResourceMetricsList()
          .forEach(
              r ->
                  r.getScopeMetricsList()
                      .forEach(s -> s.getMetricsList().forEach(x -> out.add(x.getName()))));
    }
    return out;
  }

  private static List<String> logs(LogsData d) {
    List<String> out = new ArrayList<>();
    if (d != null) {
      d.getResourceLogsList()
          .forEach(
              r ->
                  r.getScopeLogsList()
                      .forEach(
                          s ->
                              s.getLogRecordsList()
                                  .forEach(x -> out.add(x.getBody().getStringValue()))));
    }
    return out;
  }
}
