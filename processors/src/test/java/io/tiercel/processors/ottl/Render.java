package io.tiercel.processors.ottl;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads fields out of OTLP data for assertions, written independently of the engine. Field syntax:
 * {@code span@1.name}, {@code span.attributes/http.method} (a key after {@code /}), {@code
 * spanevent@0.name} (events of span 0), {@code metric@2.datapoint@0.value_int}, {@code log.body},
 * and the lists {@code spans}, {@code metrics}, {@code logs} (names, names, severity texts).
 */
final class Render {
  private static final Pattern SEG = Pattern.compile("([a-z_]+)(?:@(\\d+))?\\.?(.*)");

  private Render() {}

  static Object field(Object data, String field) {
    String key = null;
    int slash = field.indexOf('/');
    if (slash >= 0) {
      key = field.substring(slash + 1);
      field = field.substring(0, slash);
    }
    Object v = resolve(data, field);
    if (key != null) {
      if (!(v instanceof Map<?, ?> m)) {
        throw new AssertionError(field + " is not a map: " + v);
      }
      return m.get(key);
    }
    return v;
  }

  private static Object resolve(Object data, String field) {
    Matcher m = SEG.matcher(field);
    if (!m.matches()) {
      throw new AssertionError("bad field " + field);
    }
    String head = m.group(1);
    int idx = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    String rest = m.group(3);
    if (data instanceof TracesData t) {
      var rs = t.getResourceSpans(0);
      switch (head) {
        case "resource":
          return rest.equals("schema_url") ? rs.getSchemaUrl() : resource(rs.getResource(), rest);
        case "scope":
          return rest.equals("schema_url")
              ? rs.getScopeSpans(0).getSchemaUrl()
              : scope(rs.getScopeSpans(0).getScope(), rest);
        case "spans":
          {
            List<Object> names = new ArrayList<>();
            t.getResourceSpansList()
                .forEach(
                    r ->
                        r.getScopeSpansList()
                            .forEach(s -> s.getSpansList().forEach(sp -> names.add(sp.getName()))));
            return names;
          }
        case "span":
          return span(rs.getScopeSpans(0).getSpans(idx), rest);
        case "spanevent":
          return event(rs.getScopeSpans(0).getSpans(0).getEvents(idx), rest);
        default:
          break;
      }
    } else if (data instanceof MetricsData md) {
      var rm = md.getResourceMetrics(0);
      switch (head) {
        case "resource":
          return resource(rm.getResource(), rest);
        case "scope":
          return scope(rm.getScopeMetrics(0).getScope(), rest);
        case "metrics":
          {
            List<Object> names = new ArrayList<>();
            md.getResourceMetricsList()
                .forEach(
                    r ->
                        r.getScopeMetricsList()
                            .forEach(s -> s.getMetricsList().forEach(x -> names.add(x.getName()))));
            return names;
          }
        case "metric":
          return metric(rm.getScopeMetrics(0).getMetrics(idx), rest);
        case "datapoint":
          return metric(rm.getScopeMetrics(0).getMetrics(0), "datapoint@" + idx + "." + rest);
        default:
          break;
      }
    } else if (data instanceof LogsData ld) {
      var rl = ld.getResourceLogs(0);
      switch (head) {
        case "resource":
          return resource(rl.getResource(), rest);
        case "scope":
          return scope(rl.getScopeLogs(0).getScope(), rest);
        case "logs":
          {
            List<Object> names = new ArrayList<>();
            ld.getResourceLogsList()
                .forEach(
                    r ->
                        r.getScopeLogsList()
                            .forEach(
                                s ->
                                    s.getLogRecordsList()
                                        .forEach(x -> names.add(x.getSeverityText()))));
            return names;
          }
        case "log":
          return log(rl.getScopeLogs(0).getLogRecords(idx), rest);
        default:
          break;
      }
    }
    throw new AssertionError("unknown field " + field);
  }

  private static Object resource(io.opentelemetry.proto.resource.v1.Resource r, String f) {
    return switch (f) {
      case "attributes" -> Fixtures.plain(r.getAttributesList());
      case "dropped_attributes_count" -> (long) r.getDroppedAttributesCount();
      default -> throw new AssertionError("resource." + f);
    };
  }

  private static Object scope(io.opentelemetry.proto.common.v1.InstrumentationScope s, String f) {
    return switch (f) {
      case "attributes" -> Fixtures.plain(s.getAttributesList());
      case "name" -> s.getName();
      case "version" -> s.getVersion();
      default -> throw new AssertionError("scope." + f);
    };
  }

  private static String hex(com.google.protobuf.ByteString b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b.toByteArray()) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  private static Object span(Span s, String f) {
    return switch (f) {
      case "name" -> s.getName();
      case "kind" -> (long) s.getKindValue();
      case "attributes" -> Fixtures.plain(s.getAttributesList());
      case "status.code" -> (long) s.getStatus().getCodeValue();
      case "status.message" -> s.getStatus().getMessage();
      case "trace_id" -> hex(s.getTraceId());
      case "span_id" -> hex(s.getSpanId());
      case "parent_span_id" -> hex(s.getParentSpanId());
      case "trace_state" -> s.getTraceState();
      case "start_time_unix_nano" -> s.getStartTimeUnixNano();
      case "end_time_unix_nano" -> s.getEndTimeUnixNano();
      case "dropped_attributes_count" -> (long) s.getDroppedAttributesCount();
      case "flags" -> (long) s.getFlags();
      case "events" -> s.getEventsList().stream().map(e -> (Object) e.getName()).toList();
      default -> throw new AssertionError("span." + f);
    };
  }

  private static Object event(Span.Event e, String f) {
    return switch (f) {
      case "name" -> e.getName();
      case "attributes" -> Fixtures.plain(e.getAttributesList());
      case "time_unix_nano" -> e.getTimeUnixNano();
      default -> throw new AssertionError("spanevent." + f);
    };
  }

  private static Object metric(Metric m, String f) {
    if (f.startsWith("datapoint")) {
      Matcher dm = SEG.matcher(f);
      if (!dm.matches()) {
        throw new AssertionError(f);
      }
      int i = dm.group(2) == null ? 0 : Integer.parseInt(dm.group(2));
      String rest = dm.group(3);
      return switch (m.getDataCase()) {
        case GAUGE -> number(m.getGauge().getDataPoints(i), rest);
        case SUM -> number(m.getSum().getDataPoints(i), rest);
        case HISTOGRAM -> {
          var p = m.getHistogram().getDataPoints(i);
          yield switch (rest) {
            case "attributes" -> Fixtures.plain(p.getAttributesList());
            case "count" -> p.getCount();
            case "sum" -> p.getSum();
            case "time_unix_nano" -> p.getTimeUnixNano();
            default -> throw new AssertionError("histogram datapoint." + rest);
          };
        }
        default -> throw new AssertionError("datapoint of " + m.getDataCase());
      };
    }
    return switch (f) {
      case "" -> MetricYaml.plain(m);
      case "name" -> m.getName();
      case "unit" -> m.getUnit();
      case "description" -> m.getDescription();
      case "type" -> m.getDataCase().name();
      case "points" -> (long) io.tiercel.core.pdata.Items.dataPoints(m);
      case "aggregation_temporality" ->
          (long)
              (m.hasSum()
                  ? m.getSum().getAggregationTemporalityValue()
                  : m.hasHistogram() ? m.getHistogram().getAggregationTemporalityValue() : 0);
      case "is_monotonic" -> m.hasSum() && m.getSum().getIsMonotonic();
      default -> throw new AssertionError("metric." + f);
    };
  }

  private static Object number(NumberDataPoint p, String f) {
    return switch (f) {
      case "attributes" -> Fixtures.plain(p.getAttributesList());
      case "value_int" -> p.getAsInt();
      case "value_double" -> p.getAsDouble();
      case "time_unix_nano" -> p.getTimeUnixNano();
      case "start_time_unix_nano" -> p.getStartTimeUnixNano();
      case "flags" -> (long) p.getFlags();
      default -> throw new AssertionError("datapoint." + f);
    };
  }

  private static Object log(LogRecord l, String f) {
    return switch (f) {
      case "body" -> Fixtures.plain(l.getBody());
      case "attributes" -> Fixtures.plain(l.getAttributesList());
      case "severity_number" -> (long) l.getSeverityNumberValue();
      case "severity_text" -> l.getSeverityText();
      case "trace_id" -> hex(l.getTraceId());
      case "span_id" -> hex(l.getSpanId());
      case "time_unix_nano" -> l.getTimeUnixNano();
      case "observed_time_unix_nano" -> l.getObservedTimeUnixNano();
      case "flags" -> (long) l.getFlags();
      default -> throw new AssertionError("log." + f);
    };
  }
}
