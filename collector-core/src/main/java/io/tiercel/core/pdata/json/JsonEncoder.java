package io.tiercel.core.pdata.json;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
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
import java.util.List;

/**
 * Writes OTLP messages as OTLP/JSON, field by field (no protobuf reflection). Default values are
 * omitted.
 */
final class JsonEncoder {
  private JsonEncoder() {}

  // ------------------------------------------------------------ envelopes

  static void traces(JsonWriter w, List<ResourceSpans> list) {
    w.beginObject();
    if (!list.isEmpty()) {
      w.name("resourceSpans").beginArray();
      for (ResourceSpans rs : list) {
        w.element().beginObject();
        if (rs.hasResource()) {
          resource(w.name("resource"), rs.getResource());
        }
        if (rs.getScopeSpansCount() > 0) {
          w.name("scopeSpans").beginArray();
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            w.element().beginObject();
            if (ss.hasScope()) {
              scope(w.name("scope"), ss.getScope());
            }
            if (ss.getSpansCount() > 0) {
              w.name("spans").beginArray();
              for (Span s : ss.getSpansList()) {
                span(w.element(), s);
              }
              w.endArray();
            }
            string(w, "schemaUrl", ss.getSchemaUrl());
            w.endObject();
          }
          w.endArray();
        }
        string(w, "schemaUrl", rs.getSchemaUrl());
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
  }

  static void metrics(JsonWriter w, List<ResourceMetrics> list) {
    w.beginObject();
    if (!list.isEmpty()) {
      w.name("resourceMetrics").beginArray();
      for (ResourceMetrics rm : list) {
        w.element().beginObject();
        if (rm.hasResource()) {
          resource(w.name("resource"), rm.getResource());
        }
        if (rm.getScopeMetricsCount() > 0) {
          w.name("scopeMetrics").beginArray();
          for (ScopeMetrics sm : rm.getScopeMetricsList()) {
            w.element().beginObject();
            if (sm.hasScope()) {
              scope(w.name("scope"), sm.getScope());
            }
            if (sm.getMetricsCount() > 0) {
              w.name("metrics").beginArray();
              for (Metric m : sm.getMetricsList()) {
                metric(w.element(), m);
              }
              w.endArray();
            }
            string(w, "schemaUrl", sm.getSchemaUrl());
            w.endObject();
          }
          w.endArray();
        }
        string(w, "schemaUrl", rm.getSchemaUrl());
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
  }

  static void logs(JsonWriter w, List<ResourceLogs> list) {
    w.beginObject();
    if (!list.isEmpty()) {
      w.name("resourceLogs").beginArray();
      for (ResourceLogs rl : list) {
        w.element().beginObject();
        if (rl.hasResource()) {
          resource(w.name("resource"), rl.getResource());
        }
        if (rl.getScopeLogsCount() > 0) {
          w.name("scopeLogs").beginArray();
          for (ScopeLogs sl : rl.getScopeLogsList()) {
            w.element().beginObject();
            if (sl.hasScope()) {
              scope(w.name("scope"), sl.getScope());
            }
            if (sl.getLogRecordsCount() > 0) {
              w.name("logRecords").beginArray();
              for (LogRecord r : sl.getLogRecordsList()) {
                logRecord(w.element(), r);
              }
              w.endArray();
            }
            string(w, "schemaUrl", sl.getSchemaUrl());
            w.endObject();
          }
          w.endArray();
        }
        string(w, "schemaUrl", rl.getSchemaUrl());
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
  }

  // ------------------------------------------------------------ common

  static void resource(JsonWriter w, Resource r) {
    w.beginObject();
    attributes(w, "attributes", r.getAttributesList());
    uint32(w, "droppedAttributesCount", r.getDroppedAttributesCount());
    if (r.getEntityRefsCount() > 0) {
      w.name("entityRefs").beginArray();
      for (EntityRef e : r.getEntityRefsList()) {
        w.element().beginObject();
        string(w, "schemaUrl", e.getSchemaUrl());
        string(w, "type", e.getType());
        strings(w, "idKeys", e.getIdKeysList());
        strings(w, "descriptionKeys", e.getDescriptionKeysList());
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
  }

  static void scope(JsonWriter w, InstrumentationScope s) {
    w.beginObject();
    string(w, "name", s.getName());
    string(w, "version", s.getVersion());
    attributes(w, "attributes", s.getAttributesList());
    uint32(w, "droppedAttributesCount", s.getDroppedAttributesCount());
    w.endObject();
  }

  static void attributes(JsonWriter w, String name, List<KeyValue> kvs) {
    if (!kvs.isEmpty()) {
      w.name(name);
      keyValues(w, kvs);
    }
  }

  private static void keyValues(JsonWriter w, List<KeyValue> kvs) {
    w.beginArray();
    for (KeyValue kv : kvs) {
      w.element().beginObject();
      string(w, "key", kv.getKey());
      if (kv.hasValue()) {
        anyValue(w.name("value"), kv.getValue());
      }
      int32(w, "keyStrindex", kv.getKeyStrindex());
      w.endObject();
    }
    w.endArray();
  }

  static void anyValue(JsonWriter w, AnyValue v) {
    w.beginObject();
    switch (v.getValueCase()) {
      case STRING_VALUE -> w.name("stringValue").string(v.getStringValue());
      case BOOL_VALUE -> w.name("boolValue").bool(v.getBoolValue());
      case INT_VALUE -> w.name("intValue").int64String(v.getIntValue());
      case DOUBLE_VALUE -> w.name("doubleValue").number(v.getDoubleValue());
      case ARRAY_VALUE -> {
        w.name("arrayValue").beginObject();
        if (v.getArrayValue().getValuesCount() > 0) {
          w.name("values").beginArray();
          for (AnyValue e : v.getArrayValue().getValuesList()) {
            anyValue(w.element(), e);
          }
          w.endArray();
        }
        w.endObject();
      }
      case KVLIST_VALUE -> {
        w.name("kvlistValue").beginObject();
        if (v.getKvlistValue().getValuesCount() > 0) {
          w.name("values");
          keyValues(w, v.getKvlistValue().getValuesList());
        }
        w.endObject();
      }
      case BYTES_VALUE -> w.name("bytesValue").base64(v.getBytesValue());
      case STRING_VALUE_STRINDEX ->
          w.name("stringValueStrindex").number(v.getStringValueStrindex());
      case VALUE_NOT_SET -> {}
    }
    w.endObject();
  }

  // ------------------------------------------------------------ traces

  static void span(JsonWriter w, Span s) {
    w.beginObject();
    id(w, "traceId", s.getTraceId());
    id(w, "spanId", s.getSpanId());
    string(w, "traceState", s.getTraceState());
    id(w, "parentSpanId", s.getParentSpanId());
    uint32(w, "flags", s.getFlags());
    string(w, "name", s.getName());
    int32(w, "kind", s.getKindValue());
    fixed64(w, "startTimeUnixNano", s.getStartTimeUnixNano());
    fixed64(w, "endTimeUnixNano", s.getEndTimeUnixNano());
    attributes(w, "attributes", s.getAttributesList());
    uint32(w, "droppedAttributesCount", s.getDroppedAttributesCount());
    if (s.getEventsCount() > 0) {
      w.name("events").beginArray();
      for (Span.Event e : s.getEventsList()) {
        w.element().beginObject();
        fixed64(w, "timeUnixNano", e.getTimeUnixNano());
        string(w, "name", e.getName());
        attributes(w, "attributes", e.getAttributesList());
        uint32(w, "droppedAttributesCount", e.getDroppedAttributesCount());
        w.endObject();
      }
      w.endArray();
    }
    uint32(w, "droppedEventsCount", s.getDroppedEventsCount());
    if (s.getLinksCount() > 0) {
      w.name("links").beginArray();
      for (Span.Link l : s.getLinksList()) {
        w.element().beginObject();
        id(w, "traceId", l.getTraceId());
        id(w, "spanId", l.getSpanId());
        string(w, "traceState", l.getTraceState());
        attributes(w, "attributes", l.getAttributesList());
        uint32(w, "droppedAttributesCount", l.getDroppedAttributesCount());
        uint32(w, "flags", l.getFlags());
        w.endObject();
      }
      w.endArray();
    }
    uint32(w, "droppedLinksCount", s.getDroppedLinksCount());
    if (s.hasStatus()) {
      Status st = s.getStatus();
      w.name("status").beginObject();
      string(w, "message", st.getMessage());
      int32(w, "code", st.getCodeValue());
      w.endObject();
    }
    w.endObject();
  }

  // ------------------------------------------------------------ logs

  static void logRecord(JsonWriter w, LogRecord r) {
    w.beginObject();
    fixed64(w, "timeUnixNano", r.getTimeUnixNano());
    fixed64(w, "observedTimeUnixNano", r.getObservedTimeUnixNano());
    int32(w, "severityNumber", r.getSeverityNumberValue());
    string(w, "severityText", r.getSeverityText());
    if (r.hasBody()) {
      anyValue(w.name("body"), r.getBody());
    }
    attributes(w, "attributes", r.getAttributesList());
    uint32(w, "droppedAttributesCount", r.getDroppedAttributesCount());
    uint32(w, "flags", r.getFlags());
    id(w, "traceId", r.getTraceId());
    id(w, "spanId", r.getSpanId());
    string(w, "eventName", r.getEventName());
    w.endObject();
  }

  // ------------------------------------------------------------ metrics

  static void metric(JsonWriter w, Metric m) {
    w.beginObject();
    string(w, "name", m.getName());
    string(w, "description", m.getDescription());
    string(w, "unit", m.getUnit());
    switch (m.getDataCase()) {
      case GAUGE -> {
        Gauge g = m.getGauge();
        w.name("gauge").beginObject();
        numberPoints(w, g.getDataPointsList());
        w.endObject();
      }
      case SUM -> {
        Sum s = m.getSum();
        w.name("sum").beginObject();
        numberPoints(w, s.getDataPointsList());
        int32(w, "aggregationTemporality", s.getAggregationTemporalityValue());
        bool(w, "isMonotonic", s.getIsMonotonic());
        w.endObject();
      }
      case HISTOGRAM -> {
        Histogram h = m.getHistogram();
        w.name("histogram").beginObject();
        if (h.getDataPointsCount() > 0) {
          w.name("dataPoints").beginArray();
          for (HistogramDataPoint p : h.getDataPointsList()) {
            histogramPoint(w.element(), p);
          }
          w.endArray();
        }
        int32(w, "aggregationTemporality", h.getAggregationTemporalityValue());
        w.endObject();
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogram h = m.getExponentialHistogram();
        w.name("exponentialHistogram").beginObject();
        if (h.getDataPointsCount() > 0) {
          w.name("dataPoints").beginArray();
          for (ExponentialHistogramDataPoint p : h.getDataPointsList()) {
            expHistogramPoint(w.element(), p);
          }
          w.endArray();
        }
        int32(w, "aggregationTemporality", h.getAggregationTemporalityValue());
        w.endObject();
      }
      case SUMMARY -> {
        Summary s = m.getSummary();
        w.name("summary").beginObject();
        if (s.getDataPointsCount() > 0) {
          w.name("dataPoints").beginArray();
          for (SummaryDataPoint p : s.getDataPointsList()) {
            summaryPoint(w.element(), p);
          }
          w.endArray();
        }
        w.endObject();
      }
      case DATA_NOT_SET -> {}
    }
    attributes(w, "metadata", m.getMetadataList());
    w.endObject();
  }

  private static void numberPoints(JsonWriter w, List<NumberDataPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    w.name("dataPoints").beginArray();
    for (NumberDataPoint p : points) {
      w.element().beginObject();
      attributes(w, "attributes", p.getAttributesList());
      fixed64(w, "startTimeUnixNano", p.getStartTimeUnixNano());
      fixed64(w, "timeUnixNano", p.getTimeUnixNano());
      switch (p.getValueCase()) {
        case AS_DOUBLE -> w.name("asDouble").number(p.getAsDouble());
        case AS_INT -> w.name("asInt").int64String(p.getAsInt());
        case VALUE_NOT_SET -> {}
      }
      exemplars(w, p.getExemplarsList());
      uint32(w, "flags", p.getFlags());
      w.endObject();
    }
    w.endArray();
  }

  private static void histogramPoint(JsonWriter w, HistogramDataPoint p) {
    w.beginObject();
    attributes(w, "attributes", p.getAttributesList());
    fixed64(w, "startTimeUnixNano", p.getStartTimeUnixNano());
    fixed64(w, "timeUnixNano", p.getTimeUnixNano());
    fixed64(w, "count", p.getCount());
    if (p.hasSum()) {
      w.name("sum").number(p.getSum());
    }
    if (p.getBucketCountsCount() > 0) {
      w.name("bucketCounts").beginArray();
      for (int i = 0; i < p.getBucketCountsCount(); i++) {
        w.element().uint64String(p.getBucketCounts(i));
      }
      w.endArray();
    }
    if (p.getExplicitBoundsCount() > 0) {
      w.name("explicitBounds").beginArray();
      for (int i = 0; i < p.getExplicitBoundsCount(); i++) {
        w.element().number(p.getExplicitBounds(i));
      }
      w.endArray();
    }
    exemplars(w, p.getExemplarsList());
    uint32(w, "flags", p.getFlags());
    if (p.hasMin()) {
      w.name("min").number(p.getMin());
    }
    if (p.hasMax()) {
      w.name("max").number(p.getMax());
    }
    w.endObject();
  }

  private static void expHistogramPoint(JsonWriter w, ExponentialHistogramDataPoint p) {
    w.beginObject();
    attributes(w, "attributes", p.getAttributesList());
    fixed64(w, "startTimeUnixNano", p.getStartTimeUnixNano());
    fixed64(w, "timeUnixNano", p.getTimeUnixNano());
    fixed64(w, "count", p.getCount());
    if (p.hasSum()) {
      w.name("sum").number(p.getSum());
    }
    int32(w, "scale", p.getScale());
    fixed64(w, "zeroCount", p.getZeroCount());
    if (p.hasPositive()) {
      buckets(w.name("positive"), p.getPositive());
    }
    if (p.hasNegative()) {
      buckets(w.name("negative"), p.getNegative());
    }
    uint32(w, "flags", p.getFlags());
    exemplars(w, p.getExemplarsList());
    if (p.hasMin()) {
      w.name("min").number(p.getMin());
    }
    if (p.hasMax()) {
      w.name("max").number(p.getMax());
    }
    if (p.getZeroThreshold() != 0 || 1 / p.getZeroThreshold() < 0) {
      w.name("zeroThreshold").number(p.getZeroThreshold());
    }
    w.endObject();
  }

  private static void buckets(JsonWriter w, ExponentialHistogramDataPoint.Buckets b) {
    w.beginObject();
    int32(w, "offset", b.getOffset());
    if (b.getBucketCountsCount() > 0) {
      w.name("bucketCounts").beginArray();
      for (int i = 0; i < b.getBucketCountsCount(); i++) {
        w.element().uint64String(b.getBucketCounts(i));
      }
      w.endArray();
    }
    w.endObject();
  }

  private static void summaryPoint(JsonWriter w, SummaryDataPoint p) {
    w.beginObject();
    attributes(w, "attributes", p.getAttributesList());
    fixed64(w, "startTimeUnixNano", p.getStartTimeUnixNano());
    fixed64(w, "timeUnixNano", p.getTimeUnixNano());
    fixed64(w, "count", p.getCount());
    dbl(w, "sum", p.getSum());
    if (p.getQuantileValuesCount() > 0) {
      w.name("quantileValues").beginArray();
      for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
        w.element().beginObject();
        dbl(w, "quantile", q.getQuantile());
        dbl(w, "value", q.getValue());
        w.endObject();
      }
      w.endArray();
    }
    uint32(w, "flags", p.getFlags());
    w.endObject();
  }

  private static void exemplars(JsonWriter w, List<Exemplar> list) {
    if (list.isEmpty()) {
      return;
    }
    w.name("exemplars").beginArray();
    for (Exemplar e : list) {
      w.element().beginObject();
      attributes(w, "filteredAttributes", e.getFilteredAttributesList());
      fixed64(w, "timeUnixNano", e.getTimeUnixNano());
      switch (e.getValueCase()) {
        case AS_DOUBLE -> w.name("asDouble").number(e.getAsDouble());
        case AS_INT -> w.name("asInt").int64String(e.getAsInt());
        case VALUE_NOT_SET -> {}
      }
      id(w, "spanId", e.getSpanId());
      id(w, "traceId", e.getTraceId());
      w.endObject();
    }
    w.endArray();
  }

  // ------------------------------------------------------------ scalars (omitted when default)

  private static void string(JsonWriter w, String name, String v) {
    if (!v.isEmpty()) {
      w.name(name).string(v);
    }
  }

  private static void strings(JsonWriter w, String name, List<String> v) {
    if (!v.isEmpty()) {
      w.name(name).beginArray();
      for (String s : v) {
        w.element().string(s);
      }
      w.endArray();
    }
  }

  private static void id(JsonWriter w, String name, com.google.protobuf.ByteString v) {
    if (!v.isEmpty()) {
      w.name(name).hex(v);
    }
  }

  private static void int32(JsonWriter w, String name, int v) {
    if (v != 0) {
      w.name(name).number(v);
    }
  }

  private static void uint32(JsonWriter w, String name, int v) {
    if (v != 0) {
      w.name(name).unsignedNumber(v);
    }
  }

  private static void fixed64(JsonWriter w, String name, long v) {
    if (v != 0) {
      w.name(name).uint64String(v);
    }
  }

  private static void dbl(JsonWriter w, String name, double v) {
    if (v != 0 || 1 / v < 0) {
      w.name(name).number(v);
    }
  }

  private static void bool(JsonWriter w, String name, boolean v) {
    if (v) {
      w.name(name).bool(true);
    }
  }
}
