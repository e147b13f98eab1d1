package io.tiercel.core.builtin.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Items;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TelemetryGeneratorTest {
  private static final long NOW = 1_763_800_000_000_000_000L;

  static GeneratorReceiverConfig config(long seed, GeneratorReceiverConfig.Traces traces) {
    GeneratorReceiverConfig d = GeneratorReceiverConfig.DEFAULT;
    return new GeneratorReceiverConfig(
        seed,
        d.rate(),
        d.total(),
        d.batchSize(),
        d.maxInFlight(),
        d.retryBackoff(),
        d.services(),
        traces,
        d.metrics(),
        d.logs());
  }

  private static String attr(List<KeyValue> kvs, String key) {
    for (KeyValue kv : kvs) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasStringValue()
            ? kv.getValue().getStringValue()
            : Long.toString(kv.getValue().getIntValue());
      }
    }
    return null;
  }

  @Test
  void sameSeedGivesTheSameDataAndAnotherSeedDoesNot() {
    TelemetryGenerator a =
        new TelemetryGenerator(config(42, GeneratorReceiverConfig.Traces.DEFAULT), 1);
    TelemetryGenerator b =
        new TelemetryGenerator(config(42, GeneratorReceiverConfig.Traces.DEFAULT), 1);
    TelemetryGenerator c =
        new TelemetryGenerator(config(43, GeneratorReceiverConfig.Traces.DEFAULT), 1);
    for (int i = 0; i < 3; i++) {
      TracesData ta = a.traces(50, NOW);
      assertThat(b.traces(50, NOW)).isEqualTo(ta);
      assertThat(c.traces(50, NOW)).isNotEqualTo(ta);
      assertThat(b.metrics(30, NOW)).isEqualTo(a.metrics(30, NOW));
      assertThat(b.logs(20, NOW)).isEqualTo(a.logs(20, NOW));
    }
  }

  @Test
  void tracesAreTreesOfHttpSpansAcrossServices() {
    GeneratorReceiverConfig.Traces shape =
        new GeneratorReceiverConfig.Traces(
            true, 7, 3, 2, 0.0, Duration.ofMillis(10), Duration.ofMillis(20));
    TracesData d = new TelemetryGenerator(config(5, shape), 1).traces(70, NOW);
    assertThat(Items.count(d)).isEqualTo(70);
    Map<ByteString, List<Span>> byTrace =
        d.getResourceSpansList().stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .flatMap(ss -> ss.getSpansList().stream())
            .collect(Collectors.groupingBy(Span::getTraceId));
    assertThat(byTrace).hasSize(10);
    Set<String> services = new HashSet<>();
    for (ResourceSpans rs : d.getResourceSpansList()) {
      services.add(attr(rs.getResource().getAttributesList(), "service.name"));
    }
    assertThat(services)
        .hasSizeGreaterThan(1)
        .isSubsetOf("frontend", "checkout", "cart", "payment");
    for (List<Span> spans : byTrace.values()) {
      assertThat(spans).hasSize(7);
      Map<ByteString, Span> byId = new HashMap<>();
      spans.forEach(s -> byId.put(s.getSpanId(), s));
      assertThat(byId).hasSize(7);
      List<Span> roots = spans.stream().filter(s -> s.getParentSpanId().isEmpty()).toList();
      assertThat(roots).hasSize(1);
      Span root = roots.get(0);
      assertThat(root.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(root.getEndTimeUnixNano() - root.getStartTimeUnixNano())
          .isBetween(10_000_000L, 20_000_000L);
      assertThat(attr(root.getAttributesList(), "http.request.method"))
          .isIn("GET", "POST", "PUT", "DELETE");
      assertThat(attr(root.getAttributesList(), "url.path")).startsWith("/");
      assertThat(attr(root.getAttributesList(), "http.response.status_code")).isIn("200", "201");
      assertThat(attr(root.getAttributesList(), "server.address")).endsWith(".svc.cluster.local");
      assertThat(attr(root.getAttributesList(), "attr.1")).startsWith("value-");
      for (Span s : spans) {
        assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
        int level = 0;
        Span cur = s;
        while (!cur.getParentSpanId().isEmpty()) {
          Span parent = byId.get(cur.getParentSpanId());
          assertThat(parent).as("parent of a span is in its trace").isNotNull();
          assertThat(cur.getStartTimeUnixNano())
              .isGreaterThanOrEqualTo(parent.getStartTimeUnixNano());
          cur = parent;
          level++;
        }
        assertThat(level).isLessThan(3);
      }
    }
  }

  @Test
  void errorRatioOneMakesEverySpanAnError() {
    GeneratorReceiverConfig.Traces shape =
        new GeneratorReceiverConfig.Traces(
            true, 3, 2, 0, 1.0, Duration.ofMillis(1), Duration.ofMillis(1));
    TracesData d = new TelemetryGenerator(config(5, shape), 1).traces(30, NOW);
    d.getResourceSpansList()
        .forEach(
            rs ->
                rs.getScopeSpans(0)
                    .getSpansList()
                    .forEach(
                        s -> {
                          assertThat(s.getStatus().getCode())
                              .isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
                          assertThat(s.getEvents(0).getName()).isEqualTo("exception");
                          if (s.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
                            assertThat(attr(s.getAttributesList(), "http.response.status_code"))
                                .isIn("500", "503");
                          }
                        }));
  }

  @Test
  void lastTraceOfARequestIsCutToFit() {
    TelemetryGenerator g =
        new TelemetryGenerator(GeneratorReceiverConfig.DEFAULT, 1); // 5 spans per trace
    TracesData d = g.traces(12, NOW);
    assertThat(Items.count(d)).isEqualTo(12);
  }

  @Test
  void metricsHaveSumGaugeAndHistogramWithExactPointCount() {
    TelemetryGenerator g = new TelemetryGenerator(GeneratorReceiverConfig.DEFAULT, 2);
    MetricsData d = g.metrics(24, NOW);
    assertThat(Items.count(d)).isEqualTo(24);
    Set<Metric.DataCase> kinds =
        d.getResourceMetricsList().stream()
            .flatMap(rm -> rm.getScopeMetrics(0).getMetricsList().stream())
            .map(Metric::getDataCase)
            .collect(Collectors.toSet());
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            Metric.DataCase.SUM, Metric.DataCase.GAUGE, Metric.DataCase.HISTOGRAM);
    d.getResourceMetricsList()
        .forEach(
            rm ->
                rm.getScopeMetrics(0)
                    .getMetricsList()
                    .forEach(
                        m -> {
                          if (m.hasHistogram()) {
                            m.getHistogram()
                                .getDataPointsList()
                                .forEach(
                                    p -> {
                                      assertThat(p.getBucketCountsCount())
                                          .isEqualTo(p.getExplicitBoundsCount() + 1);
                                      assertThat(
                                              p.getBucketCountsList().stream()
                                                  .mapToLong(Long::longValue)
                                                  .sum())
                                          .isEqualTo(p.getCount());
                                    });
                          }
                          if (m.hasSum()) {
                            assertThat(m.getSum().getIsMonotonic()).isTrue();
                          }
                        }));
  }

  @Test
  void logsCarrySeverityBodyAndTraceContext() {
    TelemetryGenerator g = new TelemetryGenerator(GeneratorReceiverConfig.DEFAULT, 3);
    LogsData d = g.logs(40, NOW);
    assertThat(Items.count(d)).isEqualTo(40);
    d.getResourceLogsList()
        .forEach(
            rl ->
                rl.getScopeLogs(0)
                    .getLogRecordsList()
                    .forEach(
                        (LogRecord r) -> {
                          assertThat(r.getSeverityNumberValue()).isPositive();
                          assertThat(r.getSeverityText()).isIn("DEBUG", "INFO", "WARN", "ERROR");
                          assertThat(r.getBody().getStringValue()).isNotEmpty();
                          assertThat(r.getTraceId().size()).isEqualTo(16);
                          assertThat(r.getSpanId().size()).isEqualTo(8);
                          assertThat(r.getObservedTimeUnixNano()).isEqualTo(NOW);
                        }));
  }
}
