package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;
import static io.tiercel.processors.ottl.context.PathSupport.id;
import static io.tiercel.processors.ottl.context.PathSupport.idFrom;
import static io.tiercel.processors.ottl.context.PathSupport.intOf;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import io.opentelemetry.proto.trace.v1.Status;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span's {@code events}, {@code links} and {@code status} as whole values. The collector hands
 * these out as pdata objects; in Tiercel's value model an event, a link and the status are maps
 * keyed by the names of their own paths ({@code name}, {@code time_unix_nano}, {@code attributes},
 * ...), and events and links are lists of them, so {@code Len} and {@code set} from another span's
 * value work on them; as in the collector, they take no keys. A set takes the same shape; anything
 * else is ignored, as the collector ignores a value of the wrong type.
 */
final class SpanParts {
  private SpanParts() {}

  private static Span.Builder sb(CurrentItem c) {
    return c.spanForEdit(); // over a view, recorded as an edit of that span
  }

  static Accessor events() {
    return acc(
        c -> events(c.span()),
        (c, v) -> {
          if (v instanceof List<?> l && l.stream().allMatch(e -> e instanceof Map<?, ?>)) {
            List<Span.Event> out = new ArrayList<>(l.size());
            for (Object e : l) {
              out.add(event((Map<?, ?>) e));
            }
            sb(c).clearEvents().addAllEvents(out);
          }
        });
  }

  static Accessor links() {
    return acc(
        c -> links(c.span()),
        (c, v) -> {
          if (v instanceof List<?> l && l.stream().allMatch(e -> e instanceof Map<?, ?>)) {
            List<Span.Link> out = new ArrayList<>(l.size());
            for (Object e : l) {
              out.add(link((Map<?, ?>) e));
            }
            sb(c).clearLinks().addAllLinks(out);
          }
        });
  }

  static Accessor status() {
    return acc(
        c -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("code", (long) c.span().getStatus().getCodeValue());
          m.put("message", c.span().getStatus().getMessage());
          return m;
        },
        (c, v) -> {
          if (v instanceof Map<?, ?> m) {
            Status.Builder st = Status.newBuilder();
            if (m.get("code") instanceof Long code) {
              st.setCodeValue(intOf(code));
            }
            if (m.get("message") instanceof String msg) {
              st.setMessage(msg);
            }
            sb(c).setStatus(st);
          }
        });
  }

  private static List<Object> events(SpanOrBuilder s) {
    List<Object> out = new ArrayList<>(s.getEventsCount());
    for (Span.Event e : s.getEventsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.getName());
      m.put("time_unix_nano", e.getTimeUnixNano());
      m.put("attributes", Values.fromKeyValues(e.getAttributesList()));
      m.put("dropped_attributes_count", (long) e.getDroppedAttributesCount());
      out.add(m);
    }
    return out;
  }

  private static List<Object> links(SpanOrBuilder s) {
    List<Object> out = new ArrayList<>(s.getLinksCount());
    for (Span.Link l : s.getLinksList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("trace_id", id(l.getTraceId(), 16));
      m.put("span_id", id(l.getSpanId(), 8));
      m.put("trace_state", l.getTraceState());
      m.put("attributes", Values.fromKeyValues(l.getAttributesList()));
      m.put("dropped_attributes_count", (long) l.getDroppedAttributesCount());
      m.put("flags", (long) l.getFlags());
      out.add(m);
    }
    return out;
  }

  private static Span.Event event(Map<?, ?> m) {
    Span.Event.Builder e = Span.Event.newBuilder();
    if (m.get("name") instanceof String n) {
      e.setName(n);
    }
    if (m.get("time_unix_nano") instanceof Long t) {
      e.setTimeUnixNano(t);
    }
    if (m.get("attributes") instanceof Map<?, ?> a) {
      e.addAllAttributes(Values.toKeyValues(a));
    }
    if (m.get("dropped_attributes_count") instanceof Long d) {
      e.setDroppedAttributesCount(intOf(d));
    }
    return e.build();
  }

  private static Span.Link link(Map<?, ?> m) {
    Span.Link.Builder l = Span.Link.newBuilder();
    Object traceId = m.get("trace_id");
    ByteString t = traceId == null ? null : idFrom(traceId, 16, "trace_id");
    if (t != null) {
      l.setTraceId(t);
    }
    Object spanId = m.get("span_id");
    ByteString s = spanId == null ? null : idFrom(spanId, 8, "span_id");
    if (s != null) {
      l.setSpanId(s);
    }
    if (m.get("trace_state") instanceof String ts) {
      l.setTraceState(ts);
    }
    if (m.get("attributes") instanceof Map<?, ?> a) {
      l.addAllAttributes(Values.toKeyValues(a));
    }
    if (m.get("dropped_attributes_count") instanceof Long d) {
      l.setDroppedAttributesCount(intOf(d));
    }
    if (m.get("flags") instanceof Long f) {
      l.setFlags(intOf(f));
    }
    return l.build();
  }
}
