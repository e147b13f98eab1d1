package io.tiercel.core.builtin.debug;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.json.OtlpJson;
import java.util.Base64;
import java.util.List;

/** The text the debug exporter prints: a one-line summary, and one compact line per item. */
final class DebugFormat {
  private DebugFormat() {}

  /** {@code Traces {resources: 2, spans: 10}}-style one-line summary. */
  static String basic(OtlpData data) {
    if (data instanceof Traces t) {
      return "Traces {resource spans: "
          + t.message().getResourceSpansCount()
          + ", spans: "
          + data.itemCount()
          + "}";
    } else if (data instanceof Metrics m) {
      int metrics = 0;
      for (ResourceMetrics rm : m.message().getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          metrics += sm.getMetricsCount();
        }
      }
      return "Metrics {resource metrics: "
          + m.message().getResourceMetricsCount()
          + ", metrics: "
          + metrics
          + ", data points: "
          + data.itemCount()
          + "}";
    } else if (data instanceof Profiles p) {
      int profiles = 0;
      for (ResourceProfiles rp : p.message().getResourceProfilesList()) {
        for (ScopeProfiles sp : rp.getScopeProfilesList()) {
          profiles += sp.getProfilesCount();
        }
      }
      return "Profiles {resource profiles: "
          + p.message().getResourceProfilesCount()
          + ", profiles: "
          + profiles
          + ", samples: "
          + data.itemCount()
          + "}";
    } else {
      return "Logs {resource logs: "
          + ((Logs) data).message().getResourceLogsCount()
          + ", log records: "
          + data.itemCount()
          + "}";
    }
  }

  /**
   * The detailed form: OTLP/JSON, or for profiles (which Tiercel carries as bytes and has no JSON
   * encoder for) the protobuf text format.
   */
  static String detailed(OtlpData data) {
    return data instanceof Profiles p
        ? com.google.protobuf.TextFormat.printer().printToString(p.message())
        : OtlpJson.encodePretty(data);
  }

  /** One line per item (per profile for profiles), each starting with a newline. */
  static String normal(OtlpData data) {
    StringBuilder sb = new StringBuilder();
    if (data instanceof Traces t) {
      for (ResourceSpans rs : t.message().getResourceSpansList()) {
        String service = serviceName(rs.getResource().getAttributesList());
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            sb.append('\n')
                .append(service)
                .append(' ')
                .append(OtlpJson.hex(s.getTraceId()))
                .append(' ')
                .append(OtlpJson.hex(s.getSpanId()))
                .append(' ')
                .append(oneLine(s.getName()))
                .append(" kind=")
                .append(s.getKind().name().replace("SPAN_KIND_", ""))
                .append(" status=")
                .append(s.getStatus().getCode().name().replace("STATUS_CODE_", ""))
                .append(" duration=")
                .append(millis(s.getEndTimeUnixNano() - s.getStartTimeUnixNano()))
                .append("ms");
            attributes(sb, s.getAttributesList());
          }
        }
      }
    } else if (data instanceof Metrics m) {
      for (ResourceMetrics rm : m.message().getResourceMetricsList()) {
        String service = serviceName(rm.getResource().getAttributesList());
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric metric : sm.getMetricsList()) {
            metricLines(sb, service, metric);
          }
        }
      }
    } else if (data instanceof Profiles p) {
      for (ResourceProfiles rp : p.message().getResourceProfilesList()) {
        String service = serviceName(rp.getResource().getAttributesList());
        for (ScopeProfiles sp : rp.getScopeProfilesList()) {
          for (Profile profile : sp.getProfilesList()) {
            sb.append('\n')
                .append(service)
                .append(" profile_id=")
                .append(OtlpJson.hex(profile.getProfileId()))
                .append(" samples=")
                .append(profile.getSamplesCount())
                .append(" time_unix_nano=")
                .append(Long.toUnsignedString(profile.getTimeUnixNano()))
                .append(" duration_nano=")
                .append(Long.toUnsignedString(profile.getDurationNano()));
          }
        }
      }
    } else {
      for (ResourceLogs rl : ((Logs) data).message().getResourceLogsList()) {
        String service = serviceName(rl.getResource().getAttributesList());
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          for (LogRecord r : sl.getLogRecordsList()) {
            sb.append('\n')
                .append(service)
                .append(' ')
                .append(
                    r.getSeverityText().isEmpty()
                        ? r.getSeverityNumber().name().replace("SEVERITY_NUMBER_", "")
                        : oneLine(r.getSeverityText()))
                .append(' ')
                .append(r.hasBody() ? value(r.getBody()) : "");
            if (!r.getTraceId().isEmpty()) {
              sb.append(" trace_id=").append(OtlpJson.hex(r.getTraceId()));
            }
            if (!r.getSpanId().isEmpty()) {
              sb.append(" span_id=").append(OtlpJson.hex(r.getSpanId()));
            }
            attributes(sb, r.getAttributesList());
          }
        }
      }
    }
    return sb.toString();
  }

  private static void metricLines(StringBuilder sb, String service, Metric m) {
    String head = "\n" + service + " " + oneLine(m.getName());
    switch (m.getDataCase()) {
      case GAUGE, SUM -> {
        List<NumberDataPoint> points =
            m.hasGauge() ? m.getGauge().getDataPointsList() : m.getSum().getDataPointsList();
        for (NumberDataPoint p : points) {
          sb.append(head).append(m.hasGauge() ? " gauge" : " sum");
          attributes(sb, p.getAttributesList());
          sb.append(' ')
              .append(
                  p.getValueCase() == NumberDataPoint.ValueCase.AS_INT
                      ? Long.toString(p.getAsInt())
                      : Double.toString(p.getAsDouble()));
        }
      }
      case HISTOGRAM -> {
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          sb.append(head).append(" histogram");
          attributes(sb, p.getAttributesList());
          sb.append(" count=").append(Long.toUnsignedString(p.getCount()));
          if (p.hasSum()) {
            sb.append(" sum=").append(p.getSum());
          }
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          sb.append(head).append(" exponential_histogram");
          attributes(sb, p.getAttributesList());
          sb.append(" count=")
              .append(Long.toUnsignedString(p.getCount()))
              .append(" scale=")
              .append(p.getScale());
          if (p.hasSum()) {
            sb.append(" sum=").append(p.getSum());
          }
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          sb.append(head).append(" summary");
          attributes(sb, p.getAttributesList());
          sb.append(" count=")
              .append(Long.toUnsignedString(p.getCount()))
              .append(" sum=")
              .append(p.getSum());
        }
      }
      case DATA_NOT_SET -> {}
    }
  }

  private static String serviceName(List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals("service.name")) {
        return oneLine(value(kv.getValue()));
      }
    }
    return "-";
  }

  private static void attributes(StringBuilder sb, List<KeyValue> attributes) {
    if (attributes.isEmpty()) {
      return;
    }
    sb.append(" {");
    for (int i = 0; i < attributes.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(oneLine(attributes.get(i).getKey()))
          .append('=')
          .append(value(attributes.get(i).getValue()));
    }
    sb.append('}');
  }

  /** A compact rendering of an attribute value or log body, on one line. */
  static String value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> oneLine(v.getStringValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        StringBuilder sb = new StringBuilder("[");
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          sb.append(i > 0 ? ", " : "").append(value(values.get(i)));
        }
        yield sb.append(']').toString();
      }
      case KVLIST_VALUE -> {
        StringBuilder sb = new StringBuilder();
        attributes(sb, v.getKvlistValue().getValuesList());
        yield sb.length() == 0 ? "{}" : sb.substring(1);
      }
      case STRING_VALUE_STRINDEX -> "strindex:" + v.getStringValueStrindex();
      case VALUE_NOT_SET -> "";
    };
  }

  private static String oneLine(String s) {
    return s.indexOf('\n') < 0 && s.indexOf('\r') < 0
        ? s
        : s.replace("\r", "\\r").replace("\n", "\\n");
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
