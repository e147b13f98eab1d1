package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;
import static io.tiercel.processors.ottl.context.PathSupport.attributes;
import static io.tiercel.processors.ottl.context.PathSupport.idFrom;
import static io.tiercel.processors.ottl.context.PathSupport.idFromHex;
import static io.tiercel.processors.ottl.context.PathSupport.intOf;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Keys;
import io.tiercel.processors.ottl.eval.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code span} context: ids, names, kind, times, status, trace state, attributes, and events,
 * links and status as wholes ({@link SpanParts}).
 */
final class SpanPaths {
  private SpanPaths() {}

  /** The paths of the context, for error messages. */
  static final List<String> FIELDS =
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
          "events",
          "links",
          "status",
          "status.code",
          "status.message",
          "flags",
          "cache");

  private static final String[] KIND_STRINGS = {
    "Unspecified", "Internal", "Server", "Client", "Producer", "Consumer"
  };

  private static Span.Builder sb(CurrentItem c) {
    return c.spanForEdit();
  }

  static @Nullable Accessor resolve(String f, Getter[] keys) {
    return switch (f) {
      case "attributes" ->
          attributes(c -> c.span(), c -> c.spanForEdit(), PathSupport.SPAN_WIRE, keys);
      case "events" -> SpanParts.events();
      case "links" -> SpanParts.links();
      case "status" -> SpanParts.status();
      case "trace_id" ->
          acc(
              c -> SpanWire.id(c, SpanWire.TRACE_ID, 16, s -> s.getTraceId()),
              (c, v) -> {
                ByteString b = idFrom(v, 16, "trace_id");
                if (b != null) {
                  sb(c).setTraceId(b);
                }
              });
      case "trace_id.string" ->
          acc(
              c -> SpanWire.id(c, SpanWire.TRACE_ID, 16, s -> s.getTraceId()).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 16, "trace_id");
                if (b != null) {
                  sb(c).setTraceId(b);
                }
              });
      case "span_id" ->
          acc(
              c -> SpanWire.id(c, SpanWire.SPAN_ID, 8, s -> s.getSpanId()),
              (c, v) -> {
                ByteString b = idFrom(v, 8, "span_id");
                if (b != null) {
                  sb(c).setSpanId(b);
                }
              });
      case "span_id.string" ->
          acc(
              c -> SpanWire.id(c, SpanWire.SPAN_ID, 8, s -> s.getSpanId()).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 8, "span_id");
                if (b != null) {
                  sb(c).setSpanId(b);
                }
              });
      case "parent_span_id" ->
          acc(
              c -> SpanWire.id(c, SpanWire.PARENT_SPAN_ID, 8, s -> s.getParentSpanId()),
              (c, v) -> {
                ByteString b = idFrom(v, 8, "parent_span_id");
                if (b != null) {
                  sb(c).setParentSpanId(b);
                }
              });
      case "parent_span_id.string" ->
          acc(
              c -> SpanWire.id(c, SpanWire.PARENT_SPAN_ID, 8, s -> s.getParentSpanId()).hex(),
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
                      c -> SpanWire.string(c, SpanWire.TRACE_STATE, s -> s.getTraceState()),
                      (c, v) -> {
                        if (v instanceof String s) {
                          sb(c).setTraceState(s);
                        }
                      })
                  : acc(
                      c ->
                          parseTraceState(
                              SpanWire.string(c, SpanWire.TRACE_STATE, s -> s.getTraceState())),
                      (c, v) -> {
                        if (v instanceof Map<?, ?> m) {
                          sb(c).setTraceState(formatTraceState(m));
                        }
                      }),
              keys);
      case "name" ->
          acc(
              c -> SpanWire.string(c, SpanWire.NAME, s -> s.getName()),
              (c, v) -> {
                if (v instanceof String s) {
                  sb(c).setName(s);
                }
              });
      case "kind" ->
          acc(
              c -> (long) SpanWire.int32(c, SpanWire.KIND, s -> s.getKindValue()),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setKindValue(intOf(v));
                }
              });
      case "kind.string" ->
          acc(
              c -> {
                int k = SpanWire.int32(c, SpanWire.KIND, s -> s.getKindValue());
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
              c -> c.span().getKind().name(),
              (c, v) -> {
                if (v instanceof String s) {
                  Span.SpanKind k = Span.SpanKind.valueOf(s);
                  sb(c).setKind(k);
                }
              });
      case "start_time_unix_nano" ->
          acc(
              c -> SpanWire.fixed64(c, SpanWire.START, s -> s.getStartTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Long l) {
                  sb(c).setStartTimeUnixNano(l);
                }
              });
      case "end_time_unix_nano" ->
          acc(
              c -> SpanWire.fixed64(c, SpanWire.END, s -> s.getEndTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Long l) {
                  sb(c).setEndTimeUnixNano(l);
                }
              });
      case "start_time" ->
          acc(
              c ->
                  Values.fromUnixNanos(
                      SpanWire.fixed64(c, SpanWire.START, s -> s.getStartTimeUnixNano())),
              (c, v) -> {
                if (v instanceof Instant t) {
                  sb(c).setStartTimeUnixNano(Values.unixNanos(t));
                }
              });
      case "end_time" ->
          acc(
              c ->
                  Values.fromUnixNanos(
                      SpanWire.fixed64(c, SpanWire.END, s -> s.getEndTimeUnixNano())),
              (c, v) -> {
                if (v instanceof Instant t) {
                  sb(c).setEndTimeUnixNano(Values.unixNanos(t));
                }
              });
      case "dropped_attributes_count" ->
          acc(
              c ->
                  (long)
                      SpanWire.int32(
                          c, SpanWire.DROPPED_ATTRIBUTES, s -> s.getDroppedAttributesCount()),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setDroppedAttributesCount(intOf(v));
                }
              });
      case "dropped_events_count" ->
          acc(
              c ->
                  (long) SpanWire.int32(c, SpanWire.DROPPED_EVENTS, s -> s.getDroppedEventsCount()),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setDroppedEventsCount(intOf(v));
                }
              });
      case "dropped_links_count" ->
          acc(
              c -> (long) SpanWire.int32(c, SpanWire.DROPPED_LINKS, s -> s.getDroppedLinksCount()),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).setDroppedLinksCount(intOf(v));
                }
              });
      case "status.code" ->
          acc(
              c -> (long) SpanWire.statusCode(c),
              (c, v) -> {
                if (v instanceof Long) {
                  sb(c).getStatusBuilder().setCodeValue(intOf(v));
                }
              });
      case "status.message" ->
          acc(
              c -> SpanWire.statusMessage(c),
              (c, v) -> {
                if (v instanceof String s) {
                  Status.Builder st = sb(c).getStatusBuilder();
                  st.setMessage(s);
                }
              });
      case "flags" ->
          acc(
              c -> (long) SpanWire.fixed32(c, SpanWire.FLAGS, s -> s.getFlags()),
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
}
