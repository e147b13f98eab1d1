package io.tiercel.processors.ottl;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics written as plain YAML for the case table, both ways, independently of the engine: {@code
 * {name, description, unit, gauge: [points] | sum: {temporality, monotonic, points} | histogram:
 * {temporality, points} | exponential_histogram: {temporality, points} | summary: [points]}}. A
 * point has {@code attributes}, {@code start}, {@code time} and its values ({@code int} or {@code
 * double}; {@code count}, {@code sum}, {@code min}, {@code max}, {@code bounds}, {@code buckets};
 * {@code scale}, {@code zero_count}, {@code zero_threshold}, {@code positive}/{@code negative}:
 * {@code {offset, buckets}}; {@code quantiles: [[q, v], ...]}), {@code exemplars} (values, or maps
 * of {@code int}/{@code double}, {@code time}, {@code attributes}, {@code trace_id}, {@code
 * span_id}) and {@code flags}. Rendering leaves out what is empty, zero or absent, so expectations
 * list only what matters.
 */
final class MetricYaml {
  private MetricYaml() {}

  @SuppressWarnings("unchecked")
  static Metric parse(Map<String, Object> y) {
    Metric.Builder m = Metric.newBuilder().setName((String) y.getOrDefault("name", ""));
    m.setDescription((String) y.getOrDefault("description", ""));
    m.setUnit((String) y.getOrDefault("unit", ""));
    if (y.get("gauge") instanceof List<?> pts) {
      Gauge.Builder g = Gauge.newBuilder();
      pts.forEach(p -> g.addDataPoints(number((Map<String, Object>) p)));
      m.setGauge(g);
    } else if (y.get("sum") instanceof Map<?, ?> s) {
      Sum.Builder b = Sum.newBuilder().setAggregationTemporality(temporality(s.get("temporality")));
      b.setIsMonotonic(Boolean.TRUE.equals(s.get("monotonic")));
      ((List<?>) s.get("points")).forEach(p -> b.addDataPoints(number((Map<String, Object>) p)));
      m.setSum(b);
    } else if (y.get("histogram") instanceof Map<?, ?> h) {
      Histogram.Builder b =
          Histogram.newBuilder().setAggregationTemporality(temporality(h.get("temporality")));
      ((List<?>) h.get("points")).forEach(p -> b.addDataPoints(histogram((Map<String, Object>) p)));
      m.setHistogram(b);
    } else if (y.get("exponential_histogram") instanceof Map<?, ?> h) {
      ExponentialHistogram.Builder b =
          ExponentialHistogram.newBuilder()
              .setAggregationTemporality(temporality(h.get("temporality")));
      ((List<?>) h.get("points"))
          .forEach(p -> b.addDataPoints(exponential((Map<String, Object>) p)));
      m.setExponentialHistogram(b);
    } else if (y.get("summary") instanceof List<?> pts) {
      Summary.Builder b = Summary.newBuilder();
      pts.forEach(p -> b.addDataPoints(summary((Map<String, Object>) p)));
      m.setSummary(b);
    }
    return m.build();
  }

  private static AggregationTemporality temporality(Object t) {
    return t == null
        ? AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED
        : AggregationTemporality.valueOf(
            "AGGREGATION_TEMPORALITY_" + ((String) t).toUpperCase(java.util.Locale.ROOT));
  }

  private static long lng(Map<String, Object> p, String k) {
    return p.get(k) == null ? 0 : ((Number) p.get(k)).longValue();
  }

  private static double dbl(Object o) {
    return ((Number) o).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> attrs(Map<String, Object> p) {
    return (Map<String, Object>) p.getOrDefault("attributes", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static List<Exemplar> exemplars(Map<String, Object> p) {
    List<Exemplar> out = new ArrayList<>();
    for (Object v : (List<?>) p.getOrDefault("exemplars", List.of())) {
      if (v instanceof Map<?, ?> m) {
        out.add(exemplar((Map<String, Object>) m));
      } else {
        out.add(
            v instanceof Double d
                ? Exemplar.newBuilder().setAsDouble(d).build()
                : Exemplar.newBuilder().setAsInt(((Number) v).longValue()).build());
      }
    }
    return out;
  }

  /** An exemplar written in full: {@code {int | double, time, attributes, trace_id, span_id}}. */
  private static Exemplar exemplar(Map<String, Object> m) {
    Exemplar.Builder b = Exemplar.newBuilder().setTimeUnixNano(lng(m, "time"));
    if (m.get("double") != null) {
      b.setAsDouble(dbl(m.get("double")));
    } else if (m.get("int") != null) {
      b.setAsInt(lng(m, "int"));
    }
    b.addAllFilteredAttributes(Fixtures.attrs(attrs(m)));
    if (m.get("trace_id") instanceof String t) {
      b.setTraceId(Fixtures.hex(t));
    }
    if (m.get("span_id") instanceof String t) {
      b.setSpanId(Fixtures.hex(t));
    }
    return b.build();
  }

  private static NumberDataPoint number(Map<String, Object> p) {
    NumberDataPoint.Builder b =
        NumberDataPoint.newBuilder()
            .addAllAttributes(Fixtures.attrs(attrs(p)))
            .setStartTimeUnixNano(lng(p, "start"))
            .setTimeUnixNano(lng(p, "time"))
            .setFlags((int) lng(p, "flags"))
            .addAllExemplars(exemplars(p));
    if (p.containsKey("int")) {
      b.setAsInt(lng(p, "int"));
    } else if (p.containsKey("double")) {
      b.setAsDouble(dbl(p.get("double")));
    }
    return b.build();
  }

  private static HistogramDataPoint histogram(Map<String, Object> p) {
    HistogramDataPoint.Builder b =
        HistogramDataPoint.newBuilder()
            .addAllAttributes(Fixtures.attrs(attrs(p)))
            .setStartTimeUnixNano(lng(p, "start"))
            .setTimeUnixNano(lng(p, "time"))
            .setCount(lng(p, "count"))
            .setFlags((int) lng(p, "flags"))
            .addAllExemplars(exemplars(p));
    if (p.containsKey("sum")) {
      b.setSum(dbl(p.get("sum")));
    }
    if (p.containsKey("min")) {
      b.setMin(dbl(p.get("min")));
    }
    if (p.containsKey("max")) {
      b.setMax(dbl(p.get("max")));
    }
    ((List<?>) p.getOrDefault("bounds", List.of())).forEach(x -> b.addExplicitBounds(dbl(x)));
    ((List<?>) p.getOrDefault("buckets", List.of()))
        .forEach(x -> b.addBucketCounts(((Number) x).longValue()));
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static ExponentialHistogramDataPoint exponential(Map<String, Object> p) {
    ExponentialHistogramDataPoint.Builder b =
        ExponentialHistogramDataPoint.newBuilder()
            .addAllAttributes(Fixtures.attrs(attrs(p)))
            .setStartTimeUnixNano(lng(p, "start"))
            .setTimeUnixNano(lng(p, "time"))
            .setCount(lng(p, "count"))
            .setScale((int) lng(p, "scale"))
            .setZeroCount(lng(p, "zero_count"))
            .setFlags((int) lng(p, "flags"))
            .addAllExemplars(exemplars(p));
    if (p.containsKey("zero_threshold")) {
      b.setZeroThreshold(dbl(p.get("zero_threshold")));
    }
    if (p.containsKey("sum")) {
      b.setSum(dbl(p.get("sum")));
    }
    if (p.containsKey("min")) {
      b.setMin(dbl(p.get("min")));
    }
    if (p.containsKey("max")) {
      b.setMax(dbl(p.get("max")));
    }
    for (String side : List.of("positive", "negative")) {
      if (p.get(side) instanceof Map<?, ?> s) {
        ExponentialHistogramDataPoint.Buckets.Builder bb =
            ExponentialHistogramDataPoint.Buckets.newBuilder()
                .setOffset((int) lng((Map<String, Object>) s, "offset"));
        ((List<?>) s.get("buckets")).forEach(x -> bb.addBucketCounts(((Number) x).longValue()));
        if (side.equals("positive")) {
          b.setPositive(bb);
        } else {
          b.setNegative(bb);
        }
      }
    }
    return b.build();
  }

  private static SummaryDataPoint summary(Map<String, Object> p) {
    SummaryDataPoint.Builder b =
        SummaryDataPoint.newBuilder()
            .addAllAttributes(Fixtures.attrs(attrs(p)))
            .setStartTimeUnixNano(lng(p, "start"))
            .setTimeUnixNano(lng(p, "time"))
            .setCount(lng(p, "count"))
            .setSum(p.containsKey("sum") ? dbl(p.get("sum")) : 0);
    for (Object q : (List<?>) p.getOrDefault("quantiles", List.of())) {
      List<?> qv = (List<?>) q;
      b.addQuantileValues(
          SummaryDataPoint.ValueAtQuantile.newBuilder()
              .setQuantile(dbl(qv.get(0)))
              .setValue(dbl(qv.get(1))));
    }
    return b.build();
  }

  // ---------------------------------------------------------------- rendering

  static Map<String, Object> plain(Metric m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", m.getName());
    putIf(out, "description", m.getDescription(), !m.getDescription().isEmpty());
    putIf(out, "unit", m.getUnit(), !m.getUnit().isEmpty());
    switch (m.getDataCase()) {
      case GAUGE ->
          out.put(
              "gauge", m.getGauge().getDataPointsList().stream().map(MetricYaml::plain).toList());
      case SUM -> {
        Map<String, Object> s = new LinkedHashMap<>();
        putTemporality(s, m.getSum().getAggregationTemporality());
        putIf(s, "monotonic", true, m.getSum().getIsMonotonic());
        s.put("points", m.getSum().getDataPointsList().stream().map(MetricYaml::plain).toList());
        out.put("sum", s);
      }
      case HISTOGRAM -> {
        Map<String, Object> s = new LinkedHashMap<>();
        putTemporality(s, m.getHistogram().getAggregationTemporality());
        s.put(
            "points",
            m.getHistogram().getDataPointsList().stream().map(MetricYaml::plain).toList());
        out.put("histogram", s);
      }
      case EXPONENTIAL_HISTOGRAM -> {
        Map<String, Object> s = new LinkedHashMap<>();
        putTemporality(s, m.getExponentialHistogram().getAggregationTemporality());
        s.put(
            "points",
            m.getExponentialHistogram().getDataPointsList().stream()
                .map(MetricYaml::plain)
                .toList());
        out.put("exponential_histogram", s);
      }
      case SUMMARY ->
          out.put(
              "summary",
              m.getSummary().getDataPointsList().stream().map(MetricYaml::plain).toList());
      default -> {}
    }
    return out;
  }

  private static void putTemporality(Map<String, Object> s, AggregationTemporality t) {
    if (t != AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED) {
      s.put(
          "temporality",
          t.name()
              .substring("AGGREGATION_TEMPORALITY_".length())
              .toLowerCase(java.util.Locale.ROOT));
    }
  }

  private static void putIf(Map<String, Object> m, String k, Object v, boolean when) {
    if (when) {
      m.put(k, v);
    }
  }

  private static void common(
      Map<String, Object> out,
      List<io.opentelemetry.proto.common.v1.KeyValue> a,
      long start,
      long time) {
    putIf(out, "attributes", Fixtures.plain(a), !a.isEmpty());
    putIf(out, "start", start, start != 0);
    putIf(out, "time", time, time != 0);
  }

  private static void exemplars(Map<String, Object> out, List<Exemplar> es, int flags) {
    putIf(out, "exemplars", es.stream().map(MetricYaml::plain).toList(), !es.isEmpty());
    putIf(out, "flags", (long) flags, flags != 0);
  }

  /**
   * An exemplar's value alone when that is all it has, else the map form {@link #exemplar} reads.
   */
  private static Object plain(Exemplar e) {
    Object value = e.hasAsDouble() ? (Object) e.getAsDouble() : (Object) e.getAsInt();
    if (e.getTimeUnixNano() == 0
        && e.getFilteredAttributesCount() == 0
        && e.getTraceId().isEmpty()
        && e.getSpanId().isEmpty()) {
      return value;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(e.hasAsDouble() ? "double" : "int", value);
    putIf(out, "time", e.getTimeUnixNano(), e.getTimeUnixNano() != 0);
    putIf(
        out,
        "attributes",
        Fixtures.plain(e.getFilteredAttributesList()),
        e.getFilteredAttributesCount() != 0);
    putIf(out, "trace_id", hex(e.getTraceId()), !e.getTraceId().isEmpty());
    putIf(out, "span_id", hex(e.getSpanId()), !e.getSpanId().isEmpty());
    return out;
  }

  private static String hex(com.google.protobuf.ByteString b) {
    return java.util.HexFormat.of().formatHex(b.toByteArray());
  }

  private static Map<String, Object> plain(NumberDataPoint p) {
    Map<String, Object> out = new LinkedHashMap<>();
    common(out, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
    if (p.hasAsInt()) {
      out.put("int", p.getAsInt());
    } else if (p.hasAsDouble()) {
      out.put("double", p.getAsDouble());
    }
    exemplars(out, p.getExemplarsList(), p.getFlags());
    return out;
  }

  private static Map<String, Object> plain(HistogramDataPoint p) {
    Map<String, Object> out = new LinkedHashMap<>();
    common(out, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
    out.put("count", p.getCount());
    putIf(out, "sum", p.getSum(), p.hasSum());
    putIf(out, "min", p.getMin(), p.hasMin());
    putIf(out, "max", p.getMax(), p.hasMax());
    putIf(out, "bounds", p.getExplicitBoundsList(), p.getExplicitBoundsCount() > 0);
    putIf(out, "buckets", p.getBucketCountsList(), p.getBucketCountsCount() > 0);
    exemplars(out, p.getExemplarsList(), p.getFlags());
    return out;
  }

  private static Map<String, Object> plain(ExponentialHistogramDataPoint p) {
    Map<String, Object> out = new LinkedHashMap<>();
    common(out, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
    out.put("count", p.getCount());
    putIf(out, "sum", p.getSum(), p.hasSum());
    putIf(out, "min", p.getMin(), p.hasMin());
    putIf(out, "max", p.getMax(), p.hasMax());
    putIf(out, "scale", (long) p.getScale(), p.getScale() != 0);
    putIf(out, "zero_count", p.getZeroCount(), p.getZeroCount() != 0);
    putIf(out, "zero_threshold", p.getZeroThreshold(), p.getZeroThreshold() != 0);
    if (p.hasPositive()) {
      out.put(
          "positive",
          Map.of(
              "offset",
              (long) p.getPositive().getOffset(),
              "buckets",
              p.getPositive().getBucketCountsList()));
    }
    if (p.hasNegative()) {
      out.put(
          "negative",
          Map.of(
              "offset",
              (long) p.getNegative().getOffset(),
              "buckets",
              p.getNegative().getBucketCountsList()));
    }
    exemplars(out, p.getExemplarsList(), p.getFlags());
    return out;
  }

  private static Map<String, Object> plain(SummaryDataPoint p) {
    Map<String, Object> out = new LinkedHashMap<>();
    common(out, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
    out.put("count", p.getCount());
    out.put("sum", p.getSum());
    putIf(
        out,
        "quantiles",
        p.getQuantileValuesList().stream()
            .map(q -> (Object) List.of(q.getQuantile(), q.getValue()))
            .toList(),
        p.getQuantileValuesCount() > 0);
    return out;
  }
}
