package io.tiercel.core.pdata.json;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tiercel.core.pdata.json.JsonReader.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Reads OTLP/JSON into protobuf builders. Keys are matched in lowerCamelCase after converting
 * snake_case; {@code null} values mean "default" and are skipped; unknown keys are skipped whatever
 * their value.
 */
final class JsonDecoder {
  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** Longest integer/double text accepted (a uint64 in exponent notation needs far less). */
  private static final int MAX_NUMBER_TEXT = 100;

  private static final java.util.regex.Pattern JSON_NUMBER =
      java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private JsonDecoder() {}

  /** Handles one member value of an object, given its lowerCamelCase key. */
  @FunctionalInterface
  private interface Member {
    void read(String key);
  }

  // ------------------------------------------------------------ structure helpers

  /**
   * Reads an object, calling {@code member} for each non-null member (keys converted to
   * lowerCamelCase).
   */
  private static void object(JsonReader r, Member member) {
    if (r.peek() != Token.BEGIN_OBJECT) {
      throw r.error("expected an object but found " + r.peekDescription());
    }
    r.beginObject();
    while (r.hasNext()) {
      String key = camel(r.nextName());
      if (r.peek() == Token.NULL) {
        r.nextNull();
        continue;
      }
      member.read(key);
    }
    r.endObject();
  }

  /** Reads an array, calling {@code element} for each element (nulls inside arrays are errors). */
  private static void array(JsonReader r, String what, Runnable element) {
    if (r.peek() != Token.BEGIN_ARRAY) {
      throw r.error("expected an array for \"" + what + "\" but found " + r.peekDescription());
    }
    r.beginArray();
    while (r.hasNext()) {
      if (r.peek() == Token.NULL) {
        throw r.error("null is not allowed inside \"" + what + "\"");
      }
      element.run();
    }
    r.endArray();
  }

  /** snake_case -> lowerCamelCase; names without '_' are returned as they are. */
  static String camel(String name) {
    if (name.indexOf('_') < 0) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length());
    boolean upper = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  // ------------------------------------------------------------ envelopes

  static void traces(JsonReader r, Consumer<ResourceSpans> out) {
    object(
        r,
        k -> {
          if (k.equals("resourceSpans")) {
            array(r, k, () -> out.accept(resourceSpans(r)));
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
  }

  static void metrics(JsonReader r, Consumer<ResourceMetrics> out) {
    object(
        r,
        k -> {
          if (k.equals("resourceMetrics")) {
            array(r, k, () -> out.accept(resourceMetrics(r)));
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
  }

  static void logs(JsonReader r, Consumer<ResourceLogs> out) {
    object(
        r,
        k -> {
          if (k.equals("resourceLogs")) {
            array(r, k, () -> out.accept(resourceLogs(r)));
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
  }

  /**
   * The {@code partialSuccess} of an {@code Export*ServiceResponse}: the count under {@code
   * rejectedKey} ({@code rejectedSpans}, {@code rejectedDataPoints} or {@code rejectedLogRecords})
   * and {@code errorMessage}.
   */
  static OtlpJson.PartialSuccess partialSuccess(JsonReader r, String rejectedKey) {
    long[] rejected = {0};
    String[] message = {""};
    object(
        r,
        k -> {
          if (k.equals("partialSuccess")) {
            object(
                r,
                p -> {
                  if (p.equals(rejectedKey)) {
                    rejected[0] = int64(r, p);
                  } else if (p.equals("errorMessage")) {
                    message[0] = string(r, p);
                  } else {
                    r.skipValue();
                  }
                });
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
    return new OtlpJson.PartialSuccess(rejected[0], message[0]);
  }

  /** The {@code message} of a {@code google.rpc.Status} ("" when it has none). */
  static String statusMessage(JsonReader r) {
    String[] message = {""};
    object(
        r,
        k -> {
          if (k.equals("message")) {
            message[0] = string(r, k);
          } else {
            r.skipValue();
          }
        });
    r.endDocument();
    return message[0];
  }

  private static ResourceSpans resourceSpans(JsonReader r) {
    ResourceSpans.Builder b = ResourceSpans.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "resource" -> b.setResource(resource(r));
            case "scopeSpans" -> array(r, k, () -> b.addScopeSpans(scopeSpans(r)));
            case "schemaUrl" -> b.setSchemaUrl(string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ScopeSpans scopeSpans(JsonReader r) {
    ScopeSpans.Builder b = ScopeSpans.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "scope" -> b.setScope(scope(r));
            case "spans" -> array(r, k, () -> b.addSpans(span(r)));
            case "schemaUrl" -> b.setSchemaUrl(string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ResourceMetrics resourceMetrics(JsonReader r) {
    ResourceMetrics.Builder b = ResourceMetrics.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "resource" -> b.setResource(resource(r));
            case "scopeMetrics" -> array(r, k, () -> b.addScopeMetrics(scopeMetrics(r)));
            case "schemaUrl" -> b.setSchemaUrl(string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ScopeMetrics scopeMetrics(JsonReader r) {
    ScopeMetrics.Builder b = ScopeMetrics.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "scope" -> b.setScope(scope(r));
            case "metrics" -> array(r, k, () -> b.addMetrics(metric(r)));
            case "schemaUrl" -> b.setSchemaUrl(string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ResourceLogs resourceLogs(JsonReader r) {
    ResourceLogs.Builder b = ResourceLogs.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "resource" -> b.setResource(resource(r));
            case "scopeLogs" -> array(r, k, () -> b.addScopeLogs(scopeLogs(r)));
            case "schemaUrl" -> b.setSchemaUrl(string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ScopeLogs scopeLogs(JsonReader r) {
    ScopeLogs.Builder b = ScopeLogs.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "scope" -> b.setScope(scope(r));
            case "logRecords" -> array(r, k, () -> b.addLogRecords(logRecord(r)));
            case "schemaUrl" -> b.setSchemaUrl(string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  // ------------------------------------------------------------ common

  private static Resource resource(JsonReader r) {
    Resource.Builder b = Resource.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(r, k));
            case "entityRefs" -> array(r, k, () -> b.addEntityRefs(entityRef(r)));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static EntityRef entityRef(JsonReader r) {
    EntityRef.Builder b = EntityRef.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "schemaUrl" -> b.setSchemaUrl(string(r, k));
            case "type" -> b.setType(string(r, k));
            case "idKeys" -> array(r, k, () -> b.addIdKeys(string(r, "idKeys")));
            case "descriptionKeys" ->
                array(r, k, () -> b.addDescriptionKeys(string(r, "descriptionKeys")));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static InstrumentationScope scope(JsonReader r) {
    InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "name" -> b.setName(string(r, k));
            case "version" -> b.setVersion(string(r, k));
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static KeyValue keyValue(JsonReader r) {
    KeyValue.Builder b = KeyValue.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "key" -> b.setKey(string(r, k));
            case "value" -> b.setValue(anyValue(r));
            case "keyStrindex" -> b.setKeyStrindex(int32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static AnyValue anyValue(JsonReader r) {
    AnyValue.Builder b = AnyValue.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "stringValue" -> b.setStringValue(string(r, k));
            case "boolValue" -> b.setBoolValue(bool(r, k));
            case "intValue" -> b.setIntValue(int64(r, k));
            case "doubleValue" -> b.setDoubleValue(dbl(r, k));
            case "arrayValue" -> {
              ArrayValue.Builder a = ArrayValue.newBuilder();
              object(
                  r,
                  k2 -> {
                    if (k2.equals("values")) {
                      array(r, k2, () -> a.addValues(anyValue(r)));
                    } else {
                      r.skipValue();
                    }
                  });
              b.setArrayValue(a);
            }
            case "kvlistValue" -> {
              KeyValueList.Builder l = KeyValueList.newBuilder();
              object(
                  r,
                  k2 -> {
                    if (k2.equals("values")) {
                      array(r, k2, () -> l.addValues(keyValue(r)));
                    } else {
                      r.skipValue();
                    }
                  });
              b.setKvlistValue(l);
            }
            case "bytesValue" -> b.setBytesValue(base64(r, k));
            case "stringValueStrindex" -> b.setStringValueStrindex(int32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  // ------------------------------------------------------------ traces

  private static Span span(JsonReader r) {
    Span.Builder b = Span.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "traceId" -> b.setTraceId(id(r, k, 16));
            case "spanId" -> b.setSpanId(id(r, k, 8));
            case "traceState" -> b.setTraceState(string(r, k));
            case "parentSpanId" -> b.setParentSpanId(id(r, k, 8));
            case "flags" -> b.setFlags(uint32(r, k));
            case "name" -> b.setName(string(r, k));
            case "kind" -> b.setKindValue(enumValue(r, k, Span.SpanKind.getDescriptor()));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(uint64(r, k));
            case "endTimeUnixNano" -> b.setEndTimeUnixNano(uint64(r, k));
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(r, k));
            case "events" -> array(r, k, () -> b.addEvents(event(r)));
            case "droppedEventsCount" -> b.setDroppedEventsCount(uint32(r, k));
            case "links" -> array(r, k, () -> b.addLinks(link(r)));
            case "droppedLinksCount" -> b.setDroppedLinksCount(uint32(r, k));
            case "status" -> b.setStatus(status(r));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static Span.Event event(JsonReader r) {
    Span.Event.Builder b = Span.Event.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "timeUnixNano" -> b.setTimeUnixNano(uint64(r, k));
            case "name" -> b.setName(string(r, k));
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static Span.Link link(JsonReader r) {
    Span.Link.Builder b = Span.Link.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "traceId" -> b.setTraceId(id(r, k, 16));
            case "spanId" -> b.setSpanId(id(r, k, 8));
            case "traceState" -> b.setTraceState(string(r, k));
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(r, k));
            case "flags" -> b.setFlags(uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static Status status(JsonReader r) {
    Status.Builder b = Status.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "message" -> b.setMessage(string(r, k));
            case "code" -> b.setCodeValue(enumValue(r, k, Status.StatusCode.getDescriptor()));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  // ------------------------------------------------------------ logs

  private static LogRecord logRecord(JsonReader r) {
    LogRecord.Builder b = LogRecord.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "timeUnixNano" -> b.setTimeUnixNano(uint64(r, k));
            case "observedTimeUnixNano" -> b.setObservedTimeUnixNano(uint64(r, k));
            case "severityNumber" ->
                b.setSeverityNumberValue(enumValue(r, k, SeverityNumber.getDescriptor()));
            case "severityText" -> b.setSeverityText(string(r, k));
            case "body" -> b.setBody(anyValue(r));
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "droppedAttributesCount" -> b.setDroppedAttributesCount(uint32(r, k));
            case "flags" -> b.setFlags(uint32(r, k));
            case "traceId" -> b.setTraceId(id(r, k, 16));
            case "spanId" -> b.setSpanId(id(r, k, 8));
            case "eventName" -> b.setEventName(string(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  // ------------------------------------------------------------ metrics

  private static Metric metric(JsonReader r) {
    Metric.Builder b = Metric.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "name" -> b.setName(string(r, k));
            case "description" -> b.setDescription(string(r, k));
            case "unit" -> b.setUnit(string(r, k));
            case "gauge" -> {
              Gauge.Builder g = Gauge.newBuilder();
              object(
                  r,
                  k2 -> {
                    if (k2.equals("dataPoints")) {
                      array(r, k2, () -> g.addDataPoints(numberPoint(r)));
                    } else {
                      r.skipValue();
                    }
                  });
              b.setGauge(g);
            }
            case "sum" -> {
              Sum.Builder s = Sum.newBuilder();
              object(
                  r,
                  k2 -> {
                    switch (k2) {
                      case "dataPoints" -> array(r, k2, () -> s.addDataPoints(numberPoint(r)));
                      case "aggregationTemporality" ->
                          s.setAggregationTemporalityValue(
                              enumValue(r, k2, AggregationTemporality.getDescriptor()));
                      case "isMonotonic" -> s.setIsMonotonic(bool(r, k2));
                      default -> r.skipValue();
                    }
                  });
              b.setSum(s);
            }
            case "histogram" -> {
              Histogram.Builder h = Histogram.newBuilder();
              object(
                  r,
                  k2 -> {
                    switch (k2) {
                      case "dataPoints" -> array(r, k2, () -> h.addDataPoints(histogramPoint(r)));
                      case "aggregationTemporality" ->
                          h.setAggregationTemporalityValue(
                              enumValue(r, k2, AggregationTemporality.getDescriptor()));
                      default -> r.skipValue();
                    }
                  });
              b.setHistogram(h);
            }
            case "exponentialHistogram" -> {
              ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder();
              object(
                  r,
                  k2 -> {
                    switch (k2) {
                      case "dataPoints" ->
                          array(r, k2, () -> h.addDataPoints(expHistogramPoint(r)));
                      case "aggregationTemporality" ->
                          h.setAggregationTemporalityValue(
                              enumValue(r, k2, AggregationTemporality.getDescriptor()));
                      default -> r.skipValue();
                    }
                  });
              b.setExponentialHistogram(h);
            }
            case "summary" -> {
              Summary.Builder s = Summary.newBuilder();
              object(
                  r,
                  k2 -> {
                    if (k2.equals("dataPoints")) {
                      array(r, k2, () -> s.addDataPoints(summaryPoint(r)));
                    } else {
                      r.skipValue();
                    }
                  });
              b.setSummary(s);
            }
            case "metadata" -> array(r, k, () -> b.addMetadata(keyValue(r)));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static NumberDataPoint numberPoint(JsonReader r) {
    NumberDataPoint.Builder b = NumberDataPoint.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(uint64(r, k));
            case "timeUnixNano" -> b.setTimeUnixNano(uint64(r, k));
            case "asDouble" -> b.setAsDouble(dbl(r, k));
            case "asInt" -> b.setAsInt(int64(r, k));
            case "exemplars" -> array(r, k, () -> b.addExemplars(exemplar(r)));
            case "flags" -> b.setFlags(uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static HistogramDataPoint histogramPoint(JsonReader r) {
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(uint64(r, k));
            case "timeUnixNano" -> b.setTimeUnixNano(uint64(r, k));
            case "count" -> b.setCount(uint64(r, k));
            case "sum" -> b.setSum(dbl(r, k));
            case "bucketCounts" -> array(r, k, () -> b.addBucketCounts(uint64(r, "bucketCounts")));
            case "explicitBounds" ->
                array(r, k, () -> b.addExplicitBounds(dbl(r, "explicitBounds")));
            case "exemplars" -> array(r, k, () -> b.addExemplars(exemplar(r)));
            case "flags" -> b.setFlags(uint32(r, k));
            case "min" -> b.setMin(dbl(r, k));
            case "max" -> b.setMax(dbl(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ExponentialHistogramDataPoint expHistogramPoint(JsonReader r) {
    ExponentialHistogramDataPoint.Builder b = ExponentialHistogramDataPoint.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(uint64(r, k));
            case "timeUnixNano" -> b.setTimeUnixNano(uint64(r, k));
            case "count" -> b.setCount(uint64(r, k));
            case "sum" -> b.setSum(dbl(r, k));
            case "scale" -> b.setScale(int32(r, k));
            case "zeroCount" -> b.setZeroCount(uint64(r, k));
            case "positive" -> b.setPositive(buckets(r));
            case "negative" -> b.setNegative(buckets(r));
            case "flags" -> b.setFlags(uint32(r, k));
            case "exemplars" -> array(r, k, () -> b.addExemplars(exemplar(r)));
            case "min" -> b.setMin(dbl(r, k));
            case "max" -> b.setMax(dbl(r, k));
            case "zeroThreshold" -> b.setZeroThreshold(dbl(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static ExponentialHistogramDataPoint.Buckets buckets(JsonReader r) {
    ExponentialHistogramDataPoint.Buckets.Builder b =
        ExponentialHistogramDataPoint.Buckets.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "offset" -> b.setOffset(int32(r, k));
            case "bucketCounts" -> array(r, k, () -> b.addBucketCounts(uint64(r, "bucketCounts")));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static SummaryDataPoint summaryPoint(JsonReader r) {
    SummaryDataPoint.Builder b = SummaryDataPoint.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "attributes" -> array(r, k, () -> b.addAttributes(keyValue(r)));
            case "startTimeUnixNano" -> b.setStartTimeUnixNano(uint64(r, k));
            case "timeUnixNano" -> b.setTimeUnixNano(uint64(r, k));
            case "count" -> b.setCount(uint64(r, k));
            case "sum" -> b.setSum(dbl(r, k));
            case "quantileValues" ->
                array(
                    r,
                    k,
                    () -> {
                      SummaryDataPoint.ValueAtQuantile.Builder q =
                          SummaryDataPoint.ValueAtQuantile.newBuilder();
                      object(
                          r,
                          k2 -> {
                            switch (k2) {
                              case "quantile" -> q.setQuantile(dbl(r, k2));
                              case "value" -> q.setValue(dbl(r, k2));
                              default -> r.skipValue();
                            }
                          });
                      b.addQuantileValues(q);
                    });
            case "flags" -> b.setFlags(uint32(r, k));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  private static Exemplar exemplar(JsonReader r) {
    Exemplar.Builder b = Exemplar.newBuilder();
    object(
        r,
        k -> {
          switch (k) {
            case "filteredAttributes" -> array(r, k, () -> b.addFilteredAttributes(keyValue(r)));
            case "timeUnixNano" -> b.setTimeUnixNano(uint64(r, k));
            case "asDouble" -> b.setAsDouble(dbl(r, k));
            case "asInt" -> b.setAsInt(int64(r, k));
            case "spanId" -> b.setSpanId(id(r, k, 8));
            case "traceId" -> b.setTraceId(id(r, k, 16));
            default -> r.skipValue();
          }
        });
    return b.build();
  }

  // ------------------------------------------------------------ scalars

  private static String string(JsonReader r, String key) {
    if (r.peek() != Token.STRING) {
      throw r.error("expected a string for \"" + key + "\" but found " + r.peekDescription());
    }
    return r.nextString();
  }

  private static boolean bool(JsonReader r, String key) {
    Token t = r.peek();
    if (t != Token.TRUE && t != Token.FALSE) {
      throw r.error("expected true or false for \"" + key + "\" but found " + r.peekDescription());
    }
    return r.nextBoolean();
  }

  /** The text of an integer given as a JSON number or a string, and where it starts. */
  private static BigInteger integer(JsonReader r, String key) {
    int at = r.position();
    Token t = r.peek();
    String text;
    if (t == Token.NUMBER) {
      text = r.nextNumber();
    } else if (t == Token.STRING) {
      text = r.nextString().strip();
    } else {
      throw r.error("expected an integer for \"" + key + "\" but found " + r.peekDescription());
    }
    // Guard against numbers built to be expensive: 1e999999999 would otherwise become a
    // billion-digit integer.
    if (text.length() > MAX_NUMBER_TEXT) {
      throw r.errorAt("\"" + shorten(text) + "\" is not an integer (\"" + key + "\")", at);
    }
    BigDecimal d;
    try {
      d = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw r.errorAt("\"" + text + "\" is not an integer (\"" + key + "\")", at);
    }
    if (d.signum() == 0) {
      return BigInteger.ZERO;
    }
    d = d.stripTrailingZeros();
    if (d.scale() > 0) {
      throw r.errorAt("\"" + text + "\" is not an integer (\"" + key + "\")", at);
    }
    if (d.precision() - d.scale() > 20) {
      throw r.errorAt(text + " is out of range for a 64-bit integer (\"" + key + "\")", at);
    }
    return d.toBigIntegerExact();
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** Fast path for the common case: a plain decimal integer that fits a long. */
  private static long plainLong(String s) {
    int n = s.length();
    if (n == 0 || n > 18) {
      return Long.MIN_VALUE;
    }
    int i = s.charAt(0) == '-' ? 1 : 0;
    if (i == n) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return Long.MIN_VALUE;
      }
      v = v * 10 + (c - '0');
    }
    return s.charAt(0) == '-' ? -v : v;
  }

  private static long int64(JsonReader r, String key) {
    long fast = fastInteger(r);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    int at = r.position();
    BigInteger v = integer(r, key);
    if (v.bitLength() > 63) {
      throw r.errorAt(v + " is out of range for a 64-bit integer (\"" + key + "\")", at);
    }
    return v.longValue();
  }

  private static long uint64(JsonReader r, String key) {
    int at = r.position();
    long fast = fastInteger(r);
    if (fast != Long.MIN_VALUE && fast >= 0) {
      return fast;
    }
    BigInteger v = fast != Long.MIN_VALUE ? BigInteger.valueOf(fast) : integer(r, key);
    if (v.signum() < 0 || v.compareTo(UINT64_MAX) > 0) {
      throw r.errorAt(v + " is out of range for an unsigned 64-bit integer (\"" + key + "\")", at);
    }
    return v.longValue();
  }

  /**
   * Reads a plain integer token (number or string) when it is one, returning Long.MIN_VALUE without
   * consuming anything otherwise.
   */
  private static long fastInteger(JsonReader r) {
    return r.tryPlainInteger();
  }

  private static int int32(JsonReader r, String key) {
    int at = r.position();
    long fast = fastInteger(r);
    BigInteger v = fast != Long.MIN_VALUE ? BigInteger.valueOf(fast) : integer(r, key);
    if (v.bitLength() > 31) {
      throw r.errorAt(v + " is out of range for a 32-bit integer (\"" + key + "\")", at);
    }
    return v.intValue();
  }

  private static int uint32(JsonReader r, String key) {
    int at = r.position();
    long fast = fastInteger(r);
    BigInteger v = fast != Long.MIN_VALUE ? BigInteger.valueOf(fast) : integer(r, key);
    if (v.signum() < 0 || v.bitLength() > 32) {
      throw r.errorAt(v + " is out of range for an unsigned 32-bit integer (\"" + key + "\")", at);
    }
    return (int) v.longValue();
  }

  private static double dbl(JsonReader r, String key) {
    int at = r.position();
    Token t = r.peek();
    if (t == Token.NUMBER) {
      return Double.parseDouble(r.nextNumber());
    }
    if (t == Token.STRING) {
      String s = r.nextString();
      switch (s) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          String text = s.strip();
          if (text.length() > MAX_NUMBER_TEXT || !JSON_NUMBER.matcher(text).matches()) {
            throw r.errorAt("\"" + shorten(s) + "\" is not a number (\"" + key + "\")", at);
          }
          return Double.parseDouble(text);
      }
    }
    throw r.error("expected a number for \"" + key + "\" but found " + r.peekDescription());
  }

  private static int enumValue(JsonReader r, String key, EnumDescriptor type) {
    if (r.peek() == Token.STRING) {
      int at = r.position();
      String name = r.nextString();
      EnumValueDescriptor v = type.findValueByName(name);
      if (v == null) {
        long n = plainLong(name);
        if (n != Long.MIN_VALUE && n == (int) n) {
          return (int) n;
        }
        throw r.errorAt(
            "\"" + name + "\" is not a value of " + type.getName() + " (\"" + key + "\")", at);
      }
      return v.getNumber();
    }
    return int32(r, key);
  }

  private static ByteString id(JsonReader r, String key, int size) {
    int at = r.position();
    String s = string(r, key);
    if (s.isEmpty()) {
      return ByteString.EMPTY;
    }
    if (s.length() != 2 * size) {
      throw r.errorAt(
          "\"" + key + "\" must be " + 2 * size + " hex digits, got " + s.length() + " characters",
          at);
    }
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw r.errorAt("\"" + key + "\" is not hex: \"" + s + "\"", at);
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return ByteString.copyFrom(b);
  }

  private static ByteString base64(JsonReader r, String key) {
    int at = r.position();
    String s = string(r, key);
    try {
      String std =
          s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? s.replace('-', '+').replace('_', '/') : s;
      return ByteString.copyFrom(Base64.getDecoder().decode(std));
    } catch (IllegalArgumentException e) {
      throw r.errorAt("\"" + key + "\" is not base64: " + e.getMessage(), at);
    }
  }
}
