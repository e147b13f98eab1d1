package io.tiercel.processors.ottl;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPointOrBuilder;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPointOrBuilder;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The fields of each OTTL context (after the collector's ottl contexts docs) as compiled accessors.
 */
final class Paths {
  private Paths() {}

  static final Map<OttlContext, List<String>> FIELDS =
      Map.of(
          OttlContext.RESOURCE,
              List.of("attributes", "dropped_attributes_count", "schema_url", "cache"),
          OttlContext.SCOPE,
              List.of(
                  "name",
                  "version",
                  "attributes",
                  "dropped_attributes_count",
                  "schema_url",
                  "cache"),
          OttlContext.SPAN,
              List.of(
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
                  "flags",
                  "cache"),
          OttlContext.SPANEVENT,
              List.of(
                  "time_unix_nano",
                  "time",
                  "name",
                  "attributes",
                  "dropped_attributes_count",
                  "event_index",
                  "cache"),
          OttlContext.METRIC,
              List.of(
                  "name",
                  "description",
                  "unit",
                  "type",
                  "aggregation_temporality",
                  "is_monotonic",
                  "cache"),
          OttlContext.DATAPOINT,
              List.of(
                  "attributes",
                  "start_time_unix_nano",
                  "time_unix_nano",
                  "start_time",
                  "time",
                  "value_double",
                  "value_int",
                  "flags",
                  "count",
                  "sum",
                  "bucket_counts",
                  "explicit_bounds",
                  "scale",
                  "zero_count",
                  "cache"),
          OttlContext.LOG,
              List.of(
                  "time_unix_nano",
                  "observed_time_unix_nano",
                  "time",
                  "observed_time",
                  "severity_number",
                  "severity_text",
                  "body",
                  "body.string",
                  "attributes",
                  "dropped_attributes_count",
                  "flags",
                  "trace_id",
                  "trace_id.string",
                  "span_id",
                  "span_id.string",
                  "event_name",
                  "cache"));

  private static final String[] KIND_STRINGS = {
    "Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"
  };

  static Accessor acc(Getter g, BiConsumer<Tctx, Object> s) {
    return new Accessor() {
      @Override
      public Object get(Tctx c) {
        return g.get(c);
      }

      @Override
      public void set(Tctx c, Object v) {
        s.accept(c, Values.norm(v));
      }
    };
  }

  private static Accessor readOnly(Getter g, String name) {
    return acc(
        g,
        (c, v) -> {
          throw new OttlRuntimeException(name + " cannot be set");
        });
  }

  /** Resolves {@code field} (dotted, after the context prefix) in {@code target}. */
  static Accessor resolve(
      OttlContext target, String field, Getter[] keys, int col, String written) {
    if (field.equals("cache")) {
      return Keys.keyed(
          acc(
              Tctx::cache,
              (c, v) -> {
                if (v instanceof Map<?, ?> m) {
                  @SuppressWarnings("unchecked")
                  Map<String, Object> mm = new LinkedHashMap<>((Map<String, Object>) m);
                  c.setCache(mm);
                }
              }),
          keys);
    }
    Accessor a =
        switch (target) {
          case RESOURCE -> resource(field, keys);
          case SCOPE -> scope(field, keys);
          case SPAN -> span(field, keys);
          case SPANEVENT -> spanEvent(field, keys);
          case METRIC -> metric(field);
          case DATAPOINT -> dataPoint(field, keys);
          case LOG -> log(field, keys);
        };
    if (a == null) {
      throw new CompileError(
          col,
          "\""
              + written
              + "\" is not a path of the "
              + target
              + " context: expected one of "
              + String.join(", ", FIELDS.get(target)));
    }
    boolean keyable =
        field.equals("attributes") || field.equals("body") || field.equals("trace_state");
    if (keys.length > 0 && !keyable) {
      throw new CompileError(
          col,
          "path \""
              + written
              + "\" does not support keys: only attributes, body, cache"
              + " and trace_state can be indexed");
    }
    return a;
  }

  // ----------------------------------------------------------------- helpers

  /** A whole attribute map: map editors work on its list directly instead of converting it. */
  static final class RootAttrs implements Accessor {
    private final Function<Tctx, Object> owner;

    RootAttrs(Function<Tctx, Object> owner) {
      this.owner = owner;
    }

    Object owner(Tctx c) {
      return owner.apply(c);
    }

    @Override
    public Object get(Tctx c) {
      return Values.fromKeyValues(Attrs.list(owner.apply(c)));
    }

    @Override
    public void set(Tctx c, Object v) {
      if (v instanceof Map<?, ?> m) {
        Attrs.replace(owner.apply(c), Values.toKeyValues(m));
      }
    }
  }

  private static Accessor attributes(Function<Tctx, Object> owner, Getter[] keys) {
    if (keys.length == 0) {
      return new RootAttrs(owner);
    }
    Getter k0 = keys[0];
    return new Accessor() {
      @Override
      public Object get(Tctx c) {
        String key = stringKey(k0, c);
        AnyValue v = Attrs.find(owner.apply(c), key);
        if (v == null) {
          return null;
        }
        Object o = Values.fromAny(v);
        return keys.length == 1 ? o : Keys.index(o, keys, 1, c);
      }

      @Override
      public void set(Tctx c, Object v) {
        String key = stringKey(k0, c);
        Object owned = owner.apply(c);
        if (keys.length == 1) {
          Attrs.put(owned, key, Values.toAny(v));
          return;
        }
        AnyValue cur = Attrs.find(owned, key);
        Object root = cur == null ? null : Values.fromAny(cur);
        Attrs.put(owned, key, Values.toAny(Keys.setIn(root, keys, 1, Values.copy(v), c)));
      }
    };
  }

  private static String stringKey(Getter g, Tctx c) {
    Object k = Keys.key(g, c);
    if (k instanceof String s) {
      return s;
    }
    throw new OttlRuntimeException(
        "attributes must be indexed by a string key, got " + Values.typeName(k));
  }

  static Instant time(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static Bytes id(ByteString b, int len) {
    return b.size() == len ? Bytes.wrap(b.toByteArray()) : Bytes.wrap(new byte[len]);
  }

  private static ByteString idFrom(Object v, int len, String what) {
    if (v instanceof Bytes b) {
      if (b.length() != len) {
        throw new OttlRuntimeException(what + " must be " + len + " bytes, got " + b.length());
      }
      return ByteString.copyFrom(b.raw());
    }
    return null;
  }

  private static ByteString idFromHex(Object v, int len, String what) {
    if (v instanceof String s) {
      Bytes b = s.length() == 2 * len ? Bytes.parseHex(s) : null;
      if (b == null) {
        throw new OttlRuntimeException(
            what + " must be " + 2 * len + " hex characters, got \"" + s + "\"");
      }
      return ByteString.copyFrom(b.raw());
    }
    return null;
  }

  private static int intOf(Object v) {
    return (int) (long) (Long) v;
  }

  // ----------------------------------------------------------------- contexts

  private static String schemaUrl(Object holder) {
    if (holder instanceof io.opentelemetry.proto.trace.v1.ResourceSpansOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.metrics.v1.ResourceMetricsOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.logs.v1.ResourceLogsOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.trace.v1.ScopeSpansOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.metrics.v1.ScopeMetricsOrBuilder h) {
      return h.getSchemaUrl();
    } else if (holder instanceof io.opentelemetry.proto.logs.v1.ScopeLogsOrBuilder h) {
      return h.getSchemaUrl();
    }
    return "";
  }

  private static void setSchemaUrl(Object holder, String url) {
    if (holder instanceof io.opentelemetry.proto.trace.v1.ResourceSpans.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.metrics.v1.ResourceMetrics.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.logs.v1.ResourceLogs.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.trace.v1.ScopeSpans.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.metrics.v1.ScopeMetrics.Builder h) {
      h.setSchemaUrl(url);
    } else if (holder instanceof io.opentelemetry.proto.logs.v1.ScopeLogs.Builder h) {
      h.setSchemaUrl(url);
    } else {
      throw Attrs.readOnly(holder);
    }
  }

  private static Accessor resource(String f, Getter[] keys) {
    return switch (f) {
      case "schema_url" ->
          acc(
              c -> schemaUrl(c.resourceHolder),
              (c, v) -> {
                if (v instanceof String s) {
                  setSchemaUrl(c.resourceHolder, s);
                }
              });
      case "attributes" -> attributes(c -> c.resource, keys);
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.resource.getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  ((Resource.Builder) c.resource).setDroppedAttributesCount(intOf(v));
                }
              });
      default -> null;
    };
  }

  private static Accessor scope(String f, Getter[] keys) {
    return switch (f) {
      case "schema_url" ->
          acc(
              c -> schemaUrl(c.scopeHolder),
              (c, v) -> {
                if (v instanceof String s) {
                  setSchemaUrl(c.scopeHolder, s);
                }
              });
      case "attributes" -> attributes(c -> c.scope, keys);
      case "name" ->
          acc(
              c -> c.scope.getName(),
              (c, v) -> {
                if (v instanceof String s) {
                  ((InstrumentationScope.Builder) c.scope).setName(s);
                }
              });
      case "version" ->
          acc(
              c -> c.scope.getVersion(),
              (c, v) -> {
                if (v instanceof String s) {
                  ((InstrumentationScope.Builder) c.scope).setVersion(s);
                }
              });
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.scope.getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  ((InstrumentationScope.Builder) c.scope).setDroppedAttributesCount(intOf(v));
                }
              });
      default -> null;
    };
  }

  private static Span.Builder sb(Tctx c) {
    return (Span.Builder) c.span;
  }

  private static Accessor span(String f, Getter[] keys) {
    return switch (f) {
      case "attributes" -> attributes(c -> c.span, keys);
      case "trace_id" ->
          acc(
              c -> id(c.span.getTraceId(), 16),
              (c, v) -> {
                ByteString b = idFrom(v, 16, "trace_id");
                if (b != null) {
                  sb(c).setTraceId(b);
                }
              });
      case "trace_id.string" ->
          acc(
              c -> id(c.span.getTraceId(), 16).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 16, "trace_id");
                if (b != null) {
                  sb(c).setTraceId(b);
                }
              });
      case "span_id" ->
          acc(
              c -> id(c.span.getSpanId(), 8),
              (c, v) -> {
                ByteString b = idFrom(v, 8, "span_id");
                if (b != null) {
                  sb(c).setSpanId(b);
                }
              });
      case "span_id.string" ->
          acc(
              c -> id(c.span.getSpanId(), 8).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 8, "span_id");
                if (b != null) {
                  sb(c).setSpanId(b);
                }
              });
      case "parent_span_id" ->
          acc(
              c -> id(c.span.getParentSpanId(), 8),
              (c, v) -> {
                ByteString b = idFrom(v, 8, "parent_span_id");
                if (b != null) {
                  sb(c).setParentSpanId(b);
                }
              });
      case "parent_span_id.string" ->
          acc(
              c -> id(c.span.getParentSpanId(), 8).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 8, "parent_span_id");
                if (b != null) {
                  sb(c).setParentSpanId(b);
                }
              });
      case "trace_state" ->
          Keys.keyed(
              keys.length == 0
                  ? acc(
                      c -> c.span.getTraceState(),
                      (c, v) -> {
                        if (v instanceof String s) {
                          sb(c).setTraceState(s);
                        }
                      })
                  : acc(
                      c -> parseTraceState(c.span.getTraceState()),
                      (c, v) -> {
                        if (v instanceof Map<?, ?> m) {
                          sb(c).setTraceState(formatTraceState(m));
                        }
                      }),
              keys);
      case "name" ->
          acc(
              c -> c.span.getName(),
              (c, v) -> {
                if (v instanceof String s) {
                  sb(c).setName(s);
                }
              });
      case "kind" ->
          acc(
              c -> (long) c.span.getKindValue(),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setKindValue(intOf(v));
                }
              });
      case "kind.string" ->
          acc(
              c -> {
                int k = c.span.getKindValue();
                return k >= 0 && k < KIND_STRINGS.length ? KIND_STRINGS[k] : "";
              },
              (c, v) -> {
                if (v instanceof String s) {
                  for (int i = 0; i < KIND_STRINGS.length; i++) {
                    if (KIND_STRINGS[i].equals(s)) {
                      sb(c).setKindValue(i);
                    }
                  }
                }
              });
      case "kind.deprecated_string" ->
          acc(
              c -> c.span.getKind().name(),
              (c, v) -> {
                if (v instanceof String s) {
                  Span.SpanKind k = Span.SpanKind.valueOf(s);
                  sb(c).setKind(k);
                }
              });
      case "start_time_unix_nano" ->
          acc(
              c -> c.span.getStartTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  sb(c).setStartTimeUnixNano(l);
                }
              });
      case "end_time_unix_nano" ->
          acc(
              c -> c.span.getEndTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  sb(c).setEndTimeUnixNano(l);
                }
              });
      case "start_time" ->
          acc(
              c -> time(c.span.getStartTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  sb(c).setStartTimeUnixNano(nanos(t));
                }
              });
      case "end_time" ->
          acc(
              c -> time(c.span.getEndTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  sb(c).setEndTimeUnixNano(nanos(t));
                }
              });
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.span.getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setDroppedAttributesCount(intOf(v));
                }
              });
      case "dropped_events_count" ->
          acc(
              c -> (long) c.span.getDroppedEventsCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setDroppedEventsCount(intOf(v));
                }
              });
      case "dropped_links_count" ->
          acc(
              c -> (long) c.span.getDroppedLinksCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setDroppedLinksCount(intOf(v));
                }
              });
      case "status.code" ->
          acc(
              c -> (long) c.span.getStatus().getCodeValue(),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).getStatusBuilder().setCodeValue(intOf(v));
                }
              });
      case "status.message" ->
          acc(
              c -> c.span.getStatus().getMessage(),
              (c, v) -> {
                if (v instanceof String s) {
                  Status.Builder st = sb(c).getStatusBuilder();
                  st.setMessage(s);
                }
              });
      case "flags" ->
          acc(
              c -> (long) c.span.getFlags(),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setFlags(intOf(v));
                }
              });
      default -> null;
    };
  }

  static Map<String, Object> parseTraceState(String ts) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String member : ts.split(",")) {
      String p = member.strip();
      int eq = p.indexOf('=');
      if (eq > 0) {
        m.put(p.substring(0, eq), p.substring(eq + 1));
      }
    }
    return m;
  }

  static String formatTraceState(Map<?, ?> m) {
    List<String> parts = new ArrayList<>();
    m.forEach((k, v) -> parts.add(k + "=" + Values.asString(v)));
    return String.join(",", parts);
  }

  private static Span.Event.Builder eb(Tctx c) {
    return (Span.Event.Builder) c.event;
  }

  private static Accessor spanEvent(String f, Getter[] keys) {
    return switch (f) {
      case "attributes" -> attributes(c -> c.event, keys);
      case "name" ->
          acc(
              c -> c.event.getName(),
              (c, v) -> {
                if (v instanceof String s) {
                  eb(c).setName(s);
                }
              });
      case "time_unix_nano" ->
          acc(
              c -> c.event.getTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  eb(c).setTimeUnixNano(l);
                }
              });
      case "time" ->
          acc(
              c -> time(c.event.getTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  eb(c).setTimeUnixNano(nanos(t));
                }
              });
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.event.getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  eb(c).setDroppedAttributesCount(intOf(v));
                }
              });
      case "event_index" -> readOnly(c -> (long) c.eventIndex, "spanevent.event_index");
      default -> null;
    };
  }

  /** OTTL's METRIC_DATA_TYPE_* numbering (differs from the protobuf oneof field numbers). */
  static long metricType(MetricOrBuilder m) {
    return switch (m.getDataCase()) {
      case GAUGE -> 1;
      case SUM -> 2;
      case HISTOGRAM -> 3;
      case EXPONENTIAL_HISTOGRAM -> 4;
      case SUMMARY -> 5;
      case DATA_NOT_SET -> 0;
    };
  }

  private static Metric.Builder mb(Tctx c) {
    return (Metric.Builder) c.metric;
  }

  private static Accessor metric(String f) {
    return switch (f) {
      case "name" ->
          acc(
              c -> c.metric.getName(),
              (c, v) -> {
                if (v instanceof String s) {
                  mb(c).setName(s);
                }
              });
      case "description" ->
          acc(
              c -> c.metric.getDescription(),
              (c, v) -> {
                if (v instanceof String s) {
                  mb(c).setDescription(s);
                }
              });
      case "unit" ->
          acc(
              c -> c.metric.getUnit(),
              (c, v) -> {
                if (v instanceof String s) {
                  mb(c).setUnit(s);
                }
              });
      case "type" -> readOnly(c -> metricType(c.metric), "metric.type");
      case "aggregation_temporality" ->
          acc(
              c ->
                  switch (c.metric.getDataCase()) {
                    case SUM -> (long) c.metric.getSum().getAggregationTemporalityValue();
                    case HISTOGRAM ->
                        (long) c.metric.getHistogram().getAggregationTemporalityValue();
                    case EXPONENTIAL_HISTOGRAM ->
                        (long) c.metric.getExponentialHistogram().getAggregationTemporalityValue();
                    default -> 0L;
                  },
              (c, v) -> {
                if (v instanceof Long) {
                  int t = intOf(v);
                  Metric.Builder m = mb(c);
                  switch (m.getDataCase()) {
                    case SUM -> m.getSumBuilder().setAggregationTemporalityValue(t);
                    case HISTOGRAM -> m.getHistogramBuilder().setAggregationTemporalityValue(t);
                    case EXPONENTIAL_HISTOGRAM ->
                        m.getExponentialHistogramBuilder().setAggregationTemporalityValue(t);
                    default -> {}
                  }
                }
              });
      case "is_monotonic" ->
          acc(
              c ->
                  c.metric.getDataCase() == Metric.DataCase.SUM
                      && c.metric.getSum().getIsMonotonic(),
              (c, v) -> {
                if (v instanceof Boolean b && mb(c).getDataCase() == Metric.DataCase.SUM) {
                  mb(c).getSumBuilder().setIsMonotonic(b);
                }
              });
      default -> null;
    };
  }

  private static Accessor dataPoint(String f, Getter[] keys) {
    return switch (f) {
      case "attributes" -> attributes(c -> c.dataPoint, keys);
      case "start_time_unix_nano" ->
          acc(
              c -> dpStart(c.dataPoint),
              (c, v) -> {
                if (v instanceof Long l) {
                  setDpStart(c.dataPoint, l);
                }
              });
      case "time_unix_nano" ->
          acc(
              c -> dpTime(c.dataPoint),
              (c, v) -> {
                if (v instanceof Long l) {
                  setDpTime(c.dataPoint, l);
                }
              });
      case "start_time" ->
          acc(
              c -> time(dpStart(c.dataPoint)),
              (c, v) -> {
                if (v instanceof Instant t) {
                  setDpStart(c.dataPoint, nanos(t));
                }
              });
      case "time" ->
          acc(
              c -> time(dpTime(c.dataPoint)),
              (c, v) -> {
                if (v instanceof Instant t) {
                  setDpTime(c.dataPoint, nanos(t));
                }
              });
      case "value_double" ->
          acc(
              c -> c.dataPoint instanceof NumberDataPointOrBuilder n ? n.getAsDouble() : null,
              (c, v) -> {
                if (v instanceof Double d && c.dataPoint instanceof NumberDataPoint.Builder n) {
                  n.setAsDouble(d);
                }
              });
      case "value_int" ->
          acc(
              c -> c.dataPoint instanceof NumberDataPointOrBuilder n ? n.getAsInt() : null,
              (c, v) -> {
                if (v instanceof Long l && c.dataPoint instanceof NumberDataPoint.Builder n) {
                  n.setAsInt(l);
                }
              });
      case "flags" ->
          acc(
              c -> (long) dpFlags(c.dataPoint),
              (c, v) -> {
                if (v instanceof Long) {
                  setDpFlags(c.dataPoint, intOf(v));
                }
              });
      case "count" ->
          acc(
              c -> {
                Object dp = c.dataPoint;
                if (dp instanceof HistogramDataPointOrBuilder h) {
                  return h.getCount();
                } else if (dp instanceof ExponentialHistogramDataPointOrBuilder h) {
                  return h.getCount();
                } else if (dp instanceof SummaryDataPointOrBuilder h) {
                  return h.getCount();
                }
                return null;
              },
              (c, v) -> {
                if (v instanceof Long l) {
                  Object dp = c.dataPoint;
                  if (dp instanceof HistogramDataPoint.Builder h) {
                    h.setCount(l);
                  } else if (dp instanceof ExponentialHistogramDataPoint.Builder h) {
                    h.setCount(l);
                  } else if (dp instanceof SummaryDataPoint.Builder h) {
                    h.setCount(l);
                  }
                }
              });
      case "sum" ->
          acc(
              c -> {
                Object dp = c.dataPoint;
                if (dp instanceof HistogramDataPointOrBuilder h) {
                  return h.getSum();
                } else if (dp instanceof ExponentialHistogramDataPointOrBuilder h) {
                  return h.getSum();
                } else if (dp instanceof SummaryDataPointOrBuilder h) {
                  return h.getSum();
                }
                return null;
              },
              (c, v) -> {
                if (v instanceof Double d) {
                  Object dp = c.dataPoint;
                  if (dp instanceof HistogramDataPoint.Builder h) {
                    h.setSum(d);
                  } else if (dp instanceof ExponentialHistogramDataPoint.Builder h) {
                    h.setSum(d);
                  } else if (dp instanceof SummaryDataPoint.Builder h) {
                    h.setSum(d);
                  }
                }
              });
      case "bucket_counts" ->
          acc(
              c ->
                  c.dataPoint instanceof HistogramDataPointOrBuilder h
                      ? new ArrayList<Object>(h.getBucketCountsList())
                      : null,
              (c, v) -> {
                if (v instanceof List<?> l && c.dataPoint instanceof HistogramDataPoint.Builder h) {
                  h.clearBucketCounts();
                  for (Object o : l) {
                    h.addBucketCounts((Long) Values.norm(o));
                  }
                }
              });
      case "explicit_bounds" ->
          acc(
              c ->
                  c.dataPoint instanceof HistogramDataPointOrBuilder h
                      ? new ArrayList<Object>(h.getExplicitBoundsList())
                      : null,
              (c, v) -> {
                if (v instanceof List<?> l && c.dataPoint instanceof HistogramDataPoint.Builder h) {
                  h.clearExplicitBounds();
                  for (Object o : l) {
                    Object n = Values.norm(o);
                    h.addExplicitBounds(n instanceof Long x ? x.doubleValue() : (Double) n);
                  }
                }
              });
      case "scale" ->
          acc(
              c ->
                  c.dataPoint instanceof ExponentialHistogramDataPointOrBuilder h
                      ? (Object) (long) h.getScale()
                      : null,
              (c, v) -> {
                if (v instanceof Long
                    && c.dataPoint instanceof ExponentialHistogramDataPoint.Builder h) {
                  h.setScale(intOf(v));
                }
              });
      case "zero_count" ->
          acc(
              c ->
                  c.dataPoint instanceof ExponentialHistogramDataPointOrBuilder h
                      ? (Object) h.getZeroCount()
                      : null,
              (c, v) -> {
                if (v instanceof Long l
                    && c.dataPoint instanceof ExponentialHistogramDataPoint.Builder h) {
                  h.setZeroCount(l);
                }
              });
      default -> null;
    };
  }

  private static long dpStart(Object dp) {
    if (dp instanceof NumberDataPointOrBuilder d) {
      return d.getStartTimeUnixNano();
    } else if (dp instanceof HistogramDataPointOrBuilder d) {
      return d.getStartTimeUnixNano();
    } else if (dp instanceof ExponentialHistogramDataPointOrBuilder d) {
      return d.getStartTimeUnixNano();
    } else if (dp instanceof SummaryDataPointOrBuilder d) {
      return d.getStartTimeUnixNano();
    }
    return 0L;
  }

  private static long dpTime(Object dp) {
    if (dp instanceof NumberDataPointOrBuilder d) {
      return d.getTimeUnixNano();
    } else if (dp instanceof HistogramDataPointOrBuilder d) {
      return d.getTimeUnixNano();
    } else if (dp instanceof ExponentialHistogramDataPointOrBuilder d) {
      return d.getTimeUnixNano();
    } else if (dp instanceof SummaryDataPointOrBuilder d) {
      return d.getTimeUnixNano();
    }
    return 0L;
  }

  private static int dpFlags(Object dp) {
    if (dp instanceof NumberDataPointOrBuilder d) {
      return d.getFlags();
    } else if (dp instanceof HistogramDataPointOrBuilder d) {
      return d.getFlags();
    } else if (dp instanceof ExponentialHistogramDataPointOrBuilder d) {
      return d.getFlags();
    } else if (dp instanceof SummaryDataPointOrBuilder d) {
      return d.getFlags();
    }
    return 0;
  }

  private static void setDpStart(Object dp, long v) {
    if (dp instanceof NumberDataPoint.Builder d) {
      d.setStartTimeUnixNano(v);
    } else if (dp instanceof HistogramDataPoint.Builder d) {
      d.setStartTimeUnixNano(v);
    } else if (dp instanceof ExponentialHistogramDataPoint.Builder d) {
      d.setStartTimeUnixNano(v);
    } else if (dp instanceof SummaryDataPoint.Builder d) {
      d.setStartTimeUnixNano(v);
    } else {
      throw Attrs.readOnly(dp);
    }
  }

  private static void setDpTime(Object dp, long v) {
    if (dp instanceof NumberDataPoint.Builder d) {
      d.setTimeUnixNano(v);
    } else if (dp instanceof HistogramDataPoint.Builder d) {
      d.setTimeUnixNano(v);
    } else if (dp instanceof ExponentialHistogramDataPoint.Builder d) {
      d.setTimeUnixNano(v);
    } else if (dp instanceof SummaryDataPoint.Builder d) {
      d.setTimeUnixNano(v);
    } else {
      throw Attrs.readOnly(dp);
    }
  }

  private static void setDpFlags(Object dp, int v) {
    if (dp instanceof NumberDataPoint.Builder d) {
      d.setFlags(v);
    } else if (dp instanceof HistogramDataPoint.Builder d) {
      d.setFlags(v);
    } else if (dp instanceof ExponentialHistogramDataPoint.Builder d) {
      d.setFlags(v);
    } else if (dp instanceof SummaryDataPoint.Builder d) {
      d.setFlags(v);
    } else {
      throw Attrs.readOnly(dp);
    }
  }

  private static LogRecord.Builder lb(Tctx c) {
    return (LogRecord.Builder) c.log;
  }

  private static Accessor log(String f, Getter[] keys) {
    return switch (f) {
      case "attributes" -> attributes(c -> c.log, keys);
      case "body" ->
          Keys.keyed(
              acc(
                  c -> c.log.hasBody() ? Values.fromAny(c.log.getBody()) : null,
                  (c, v) -> lb(c).setBody(Values.toAny(v))),
              keys);
      case "body.string" ->
          acc(
              c -> Values.asString(c.log.hasBody() ? Values.fromAny(c.log.getBody()) : null),
              (c, v) -> {
                if (v instanceof String s) {
                  lb(c).setBody(AnyValue.newBuilder().setStringValue(s));
                }
              });
      case "time_unix_nano" ->
          acc(
              c -> c.log.getTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  lb(c).setTimeUnixNano(l);
                }
              });
      case "observed_time_unix_nano" ->
          acc(
              c -> c.log.getObservedTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  lb(c).setObservedTimeUnixNano(l);
                }
              });
      case "time" ->
          acc(
              c -> time(c.log.getTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  lb(c).setTimeUnixNano(nanos(t));
                }
              });
      case "observed_time" ->
          acc(
              c -> time(c.log.getObservedTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  lb(c).setObservedTimeUnixNano(nanos(t));
                }
              });
      case "severity_number" ->
          acc(
              c -> (long) c.log.getSeverityNumberValue(),
              (c, v) -> {
                if (v instanceof Long) {
                  lb(c).setSeverityNumberValue(intOf(v));
                }
              });
      case "severity_text" ->
          acc(
              c -> c.log.getSeverityText(),
              (c, v) -> {
                if (v instanceof String s) {
                  lb(c).setSeverityText(s);
                }
              });
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.log.getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  lb(c).setDroppedAttributesCount(intOf(v));
                }
              });
      case "flags" ->
          acc(
              c -> (long) c.log.getFlags(),
              (c, v) -> {
                if (v instanceof Long) {
                  lb(c).setFlags(intOf(v));
                }
              });
      case "trace_id" ->
          acc(
              c -> id(c.log.getTraceId(), 16),
              (c, v) -> {
                ByteString b = idFrom(v, 16, "trace_id");
                if (b != null) {
                  lb(c).setTraceId(b);
                }
              });
      case "trace_id.string" ->
          acc(
              c -> id(c.log.getTraceId(), 16).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 16, "trace_id");
                if (b != null) {
                  lb(c).setTraceId(b);
                }
              });
      case "span_id" ->
          acc(
              c -> id(c.log.getSpanId(), 8),
              (c, v) -> {
                ByteString b = idFrom(v, 8, "span_id");
                if (b != null) {
                  lb(c).setSpanId(b);
                }
              });
      case "span_id.string" ->
          acc(
              c -> id(c.log.getSpanId(), 8).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 8, "span_id");
                if (b != null) {
                  lb(c).setSpanId(b);
                }
              });
      case "event_name" ->
          acc(
              c -> c.log.getEventName(),
              (c, v) -> {
                if (v instanceof String s) {
                  lb(c).setEventName(s);
                }
              });
      default -> null;
    };
  }
}
