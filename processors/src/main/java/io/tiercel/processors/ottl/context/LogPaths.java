package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;
import static io.tiercel.processors.ottl.context.PathSupport.attributes;
import static io.tiercel.processors.ottl.context.PathSupport.id;
import static io.tiercel.processors.ottl.context.PathSupport.idFrom;
import static io.tiercel.processors.ottl.context.PathSupport.idFromHex;
import static io.tiercel.processors.ottl.context.PathSupport.intOf;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Keys;
import io.tiercel.processors.ottl.eval.Values;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The {@code log} context: a log record's times, severity, body, ids and attributes. */
final class LogPaths {
  private LogPaths() {}

  /** The paths of the context, for error messages. */
  static final List<String> FIELDS =
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
          "cache");

  private static LogRecord.Builder lb(CurrentItem c) {
    return (LogRecord.Builder) c.log();
  }

  static @Nullable Accessor resolve(String f, Getter[] keys) {
    return switch (f) {
      case "attributes" -> attributes(c -> c.log(), keys);
      case "body" ->
          Keys.keyed(
              acc(
                  c -> c.log().hasBody() ? Values.fromAny(c.log().getBody()) : null,
                  (c, v) -> lb(c).setBody(Values.toAny(v))),
              keys);
      case "body.string" ->
          acc(
              c -> Values.asString(c.log().hasBody() ? Values.fromAny(c.log().getBody()) : null),
              (c, v) -> {
                if (v instanceof String s) {
                  lb(c).setBody(AnyValue.newBuilder().setStringValue(s));
                }
              });
      case "time_unix_nano" ->
          acc(
              c -> c.log().getTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  lb(c).setTimeUnixNano(l);
                }
              });
      case "observed_time_unix_nano" ->
          acc(
              c -> c.log().getObservedTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  lb(c).setObservedTimeUnixNano(l);
                }
              });
      case "time" ->
          acc(
              c -> Values.fromUnixNanos(c.log().getTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  lb(c).setTimeUnixNano(Values.unixNanos(t));
                }
              });
      case "observed_time" ->
          acc(
              c -> Values.fromUnixNanos(c.log().getObservedTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  lb(c).setObservedTimeUnixNano(Values.unixNanos(t));
                }
              });
      case "severity_number" ->
          acc(
              c -> (long) c.log().getSeverityNumberValue(),
              (c, v) -> {
                if (v instanceof Long) {
                  lb(c).setSeverityNumberValue(intOf(v));
                }
              });
      case "severity_text" ->
          acc(
              c -> c.log().getSeverityText(),
              (c, v) -> {
                if (v instanceof String s) {
                  lb(c).setSeverityText(s);
                }
              });
      case "dropped_attributes_count" ->
          acc(
              c -> (long) c.log().getDroppedAttributesCount(),
              (c, v) -> {
                if (v instanceof Long) {
                  lb(c).setDroppedAttributesCount(intOf(v));
                }
              });
      case "flags" ->
          acc(
              c -> (long) c.log().getFlags(),
              (c, v) -> {
                if (v instanceof Long) {
                  lb(c).setFlags(intOf(v));
                }
              });
      case "trace_id" ->
          acc(
              c -> id(c.log().getTraceId(), 16),
              (c, v) -> {
                ByteString b = idFrom(v, 16, "trace_id");
                if (b != null) {
                  lb(c).setTraceId(b);
                }
              });
      case "trace_id.string" ->
          acc(
              c -> id(c.log().getTraceId(), 16).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 16, "trace_id");
                if (b != null) {
                  lb(c).setTraceId(b);
                }
              });
      case "span_id" ->
          acc(
              c -> id(c.log().getSpanId(), 8),
              (c, v) -> {
                ByteString b = idFrom(v, 8, "span_id");
                if (b != null) {
                  lb(c).setSpanId(b);
                }
              });
      case "span_id.string" ->
          acc(
              c -> id(c.log().getSpanId(), 8).hex(),
              (c, v) -> {
                ByteString b = idFromHex(v, 8, "span_id");
                if (b != null) {
                  lb(c).setSpanId(b);
                }
              });
      case "event_name" ->
          acc(
              c -> c.log().getEventName(),
              (c, v) -> {
                if (v instanceof String s) {
                  lb(c).setEventName(s);
                }
              });
      default -> null;
    };
  }
}
