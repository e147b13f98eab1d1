package io.tiercel.core.pdata.json;

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

/** Reads a metric and its data points (gauge, sum, histogram, exponential histogram, summary). */
final class JsonMetricsDecoder {
  private JsonMetricsDecoder() {}

  static Metric metric(JsonReader r) {
    Metric.Builder b = Metric.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "name" -> b.setName(JsonValues.string(r, k));
            case "description" -> b.setDescription(JsonValues.string(r, k));
            case "unit" -> b.setUnit(JsonValues.string(r, k));
            case "gauge" -> {
              Gauge.Builder g = Gauge.newBuilder();
              JsonValues.object(
                  r,
                  k2 -> {
                    if (k2.equals("dataPoints")) {
                      JsonValues.array(r, k2, () -> g.addDataPoints(numberPoint(r)));
                    } else {
                      r.skipValue();
                    }
                  });
              b.setGauge(g);
            }
            case "sum" -> {
              Sum.Builder s = Sum.newBuilder();
              JsonValues.object(
                  r,
                  k2 -> {
                    switch (k2) {
                      case "dataPoints" ->
                          JsonValues.array(r, k2, () -> s.addDataPoints(numberPoint(r)));
                      case "aggregationTemporality" ->
                          s.setAggregationTemporalityValue(
                              JsonValues.enumValue(r, k2, AggregationTemporality.getDescriptor()));
                      case "isMonotonic" -> s.setIsMonotonic(JsonValues.bool(r, k2));
                      default -> r.skipValue();
                    }
                  });
              b.setSum(s);
            }
            case "histogram" -> {
              Histogram.Builder h = Histogram.newBuilder();
              JsonValues.object(
                  r,
                  k2 -> {
                    switch (k2) {
                      case "dataPoints" ->
                          JsonValues.array(r, k2, () -> h.addDataPoints(histogramPoint(r)));
                      case "aggregationTemporality" ->
                          h.setAggregationTemporalityValue(
                              JsonValues.enumValue(r, k2, AggregationTemporality.getDescriptor()));
                      default -> r.skipValue();
                    }
                  });
              b.setHistogram(h);
            }
            case "exponentialHistogram" -> {
              ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder();
              JsonValues.object(
                  r,
                  k2 -> {
                    switch (k2) {
                      case "dataPoints" ->
                          JsonValues.array(r, k2, () -> h.addDataPoints(expHistogramPoint(r)));
                      case "aggregationTemporality" ->
                          h.setAggregationTemporalityValue(
                              JsonValues.enumValue(r, k2, AggregationTemporality.getDescriptor()));
                      default -> r.skipValue();
                    }
                  });
              b.setExponentialHistogram(h);
            }
            case "summary" -> {
              Summary.Builder s = Summary.newBuilder();
              JsonValues.object(
                  r,
                  k2 -> {
                    if (k2.equals("dataPoints")) {
                      JsonValues.array(r, k2, () -> s.addDataPoints(summaryPoint(r)));
                    } else {
                      r.skipValue();
                    }
                  });
              b.setSummary(s);
            }
            case "metadata" ->
                JsonValues.array(r, k, () -> b.addMetadata(JsonCommonDecoder.keyValue(r)));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static NumberDataPoint numberPoint(JsonReader r) {
    NumberDataPoint.Builder b = NumberDataPoint.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "attributes" ->
                JsonValues.array(r, k, () -> b.addAttributes(JsonCommonDecoder.keyValue(r)));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(JsonValues.uint64(r, k));
            case "timeUnixNano" -> b.setTimeUnixNano(JsonValues.uint64(r, k));
            case "asDouble" -> b.setAsDouble(JsonValues.dbl(r, k));
            case "asInt" -> b.setAsInt(JsonValues.int64(r, k));
            case "exemplars" -> JsonValues.array(r, k, () -> b.addExemplars(exemplar(r)));
            case "flags" -> b.setFlags(JsonValues.uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static HistogramDataPoint histogramPoint(JsonReader r) {
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "attributes" ->
                JsonValues.array(r, k, () -> b.addAttributes(JsonCommonDecoder.keyValue(r)));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(JsonValues.uint64(r, k));
            case "timeUnixNano" -> b.setTimeUnixNano(JsonValues.uint64(r, k));
            case "count" -> b.setCount(JsonValues.uint64(r, k));
            case "sum" -> b.setSum(JsonValues.dbl(r, k));
            case "bucketCounts" ->
                JsonValues.array(
                    r, k, () -> b.addBucketCounts(JsonValues.uint64(r, "bucketCounts")));
            case "explicitBounds" ->
                JsonValues.array(
                    r, k, () -> b.addExplicitBounds(JsonValues.dbl(r, "explicitBounds")));
            case "exemplars" -> JsonValues.array(r, k, () -> b.addExemplars(exemplar(r)));
            case "flags" -> b.setFlags(JsonValues.uint32(r, k));
            case "min" -> b.setMin(JsonValues.dbl(r, k));
            case "max" -> b.setMax(JsonValues.dbl(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static ExponentialHistogramDataPoint expHistogramPoint(JsonReader r) {
    ExponentialHistogramDataPoint.Builder b = ExponentialHistogramDataPoint.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "attributes" ->
                JsonValues.array(r, k, () -> b.addAttributes(JsonCommonDecoder.keyValue(r)));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(JsonValues.uint64(r, k));
            case "timeUnixNano" -> b.setTimeUnixNano(JsonValues.uint64(r, k));
            case "count" -> b.setCount(JsonValues.uint64(r, k));
            case "sum" -> b.setSum(JsonValues.dbl(r, k));
            case "scale" -> b.setScale(JsonValues.int32(r, k));
            case "zeroCount" -> b.setZeroCount(JsonValues.uint64(r, k));
            case "positive" -> b.setPositive(buckets(r));
            case "negative" -> b.setNegative(buckets(r));
            case "flags" -> b.setFlags(JsonValues.uint32(r, k));
            case "exemplars" -> JsonValues.array(r, k, () -> b.addExemplars(exemplar(r)));
            case "min" -> b.setMin(JsonValues.dbl(r, k));
            case "max" -> b.setMax(JsonValues.dbl(r, k));
            case "zeroThreshold" -> b.setZeroThreshold(JsonValues.dbl(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static ExponentialHistogramDataPoint.Buckets buckets(JsonReader r) {
    ExponentialHistogramDataPoint.Buckets.Builder b =
        ExponentialHistogramDataPoint.Buckets.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "offset" -> b.setOffset(JsonValues.int32(r, k));
            case "bucketCounts" ->
                JsonValues.array(
                    r, k, () -> b.addBucketCounts(JsonValues.uint64(r, "bucketCounts")));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static SummaryDataPoint summaryPoint(JsonReader r) {
    SummaryDataPoint.Builder b = SummaryDataPoint.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "attributes" ->
                JsonValues.array(r, k, () -> b.addAttributes(JsonCommonDecoder.keyValue(r)));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(JsonValues.uint64(r, k));
            case "timeUnixNano" -> b.setTimeUnixNano(JsonValues.uint64(r, k));
            case "count" -> b.setCount(JsonValues.uint64(r, k));
            case "sum" -> b.setSum(JsonValues.dbl(r, k));
            case "quantileValues" ->
                JsonValues.array(
                    r,
                    k,
                    () -> {
                      SummaryDataPoint.ValueAtQuantile.Builder q =
                          SummaryDataPoint.ValueAtQuantile.newBuilder();
                      JsonValues.object(
                          r,
                          k2 -> {
                            switch (k2) {
                              case "quantile" -> q.setQuantile(JsonValues.dbl(r, k2));
                              case "value" -> q.setValue(JsonValues.dbl(r, k2));
                              default -> r.skipValue();
                            }
                          });
                      b.addQuantileValues(q);
                    });
            case "flags" -> b.setFlags(JsonValues.uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  static Exemplar exemplar(JsonReader r) {
    Exemplar.Builder b = Exemplar.newBuilder();
    JsonValues.object(
        r,
        k -> {
          switch (k) {
            case "filteredAttributes" ->
                JsonValues.array(
                    r, k, () -> b.addFilteredAttributes(JsonCommonDecoder.keyValue(r)));
            case "timeUnixNano" -> b.setTimeUnixNano(JsonValues.uint64(r, k));
            case "asDouble" -> b.setAsDouble(JsonValues.dbl(r, k));
            case "asInt" -> b.setAsInt(JsonValues.int64(r, k));
            case "spanId" -> b.setSpanId(JsonValues.id(r, k, 8));
            case "traceId" -> b.setTraceId(JsonValues.id(r, k, 16));
            default -> r.skipValue();
          }
        });
    return b.build();
  }
}
