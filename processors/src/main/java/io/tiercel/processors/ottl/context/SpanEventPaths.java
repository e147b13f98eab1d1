package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;
import static io.tiercel.processors.ottl.context.PathSupport.attributes;
import static io.tiercel.processors.ottl.context.PathSupport.intOf;
import static io.tiercel.processors.ottl.context.PathSupport.readOnly;

import io.opentelemetry.proto.trace.v1.Span;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Values;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The {@code spanevent} context: a span event's name, time, attributes and index. */
final class SpanEventPaths {
  private SpanEventPaths() {}

  /** The paths of the context, for error messages. */
  static final List<String> FIELDS =
      List.of(
          "time_unix_nano",
          "time",
          "name",
          "attributes",
          "dropped_attributes_count",
          "event_index",
          "cache");

  private static Span.Event.Builder eb(CurrentItem c) {
    return (Span.Event.Builder) c.event();
  }

  static @Nullable Accessor resolve(String f, Getter[] keys) {
    return switch (f) {
      case "attributes" -> attributes(c -> c.event(), keys);
      case "name" ->
          acc(
              c -> c.event().getName(),
              (c, v) -> {
                if (v instanceof String s) {
                  eb(c).setName(s);
                }
              });
      case "time_unix_nano" ->
          acc(
              c -> c.event().getTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  eb(c).setTimeUnixNano(l);
                }
              });
      case "time" ->
          acc(
              c -> Values.fromUnixNanos(c.event().getTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  eb(c).setTimeUnixNano(Values.unixNanos(t));
                }
              });
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.event().getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  eb(c).setDroppedAttributesCount(intOf(v));
                }
              });
      case "event_index" -> readOnly(c -> (long) c.eventIndex(), "spanevent.event_index");
      default -> null;
    };
  }
}
