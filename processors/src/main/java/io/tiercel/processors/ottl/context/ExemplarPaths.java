package io.tiercel.processors.ottl.context;

import static io.tiercel.processors.ottl.context.PathSupport.acc;
import static io.tiercel.processors.ottl.context.PathSupport.attributes;
import static io.tiercel.processors.ottl.context.PathSupport.id;
import static io.tiercel.processors.ottl.context.PathSupport.idFrom;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Values;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code exemplar} context: an exemplar's time, value, trace and span ids and filtered
 * attributes, after the collector's ottlexemplar context. As there, {@code double_value} and {@code
 * int_value} read 0 when the exemplar holds the other kind, setting one makes it that kind, and a
 * value of the wrong type is ignored; ids read as bytes (all zeros when unset).
 */
final class ExemplarPaths {
  private ExemplarPaths() {}

  /** The paths of the context, for error messages. */
  static final List<String> FIELDS =
      List.of(
          "time_unix_nano",
          "time",
          "double_value",
          "int_value",
          "trace_id",
          "span_id",
          "filtered_attributes",
          "cache");

  private static Exemplar.Builder eb(CurrentItem c) {
    return (Exemplar.Builder) c.exemplar();
  }

  static @Nullable Accessor resolve(String f, Getter[] keys) {
    return switch (f) {
      case "filtered_attributes" -> attributes(c -> c.exemplar(), keys);
      case "time_unix_nano" ->
          acc(
              c -> c.exemplar().getTimeUnixNano(),
              (c, v) -> {
                if (v instanceof Long l) {
                  eb(c).setTimeUnixNano(l);
                }
              });
      case "time" ->
          acc(
              c -> Values.fromUnixNanos(c.exemplar().getTimeUnixNano()),
              (c, v) -> {
                if (v instanceof Instant t) {
                  eb(c).setTimeUnixNano(Values.unixNanos(t));
                }
              });
      case "double_value" ->
          acc(
              c -> c.exemplar().getAsDouble(),
              (c, v) -> {
                if (v instanceof Double d) {
                  eb(c).setAsDouble(d);
                }
              });
      case "int_value" ->
          acc(
              c -> c.exemplar().getAsInt(),
              (c, v) -> {
                if (v instanceof Long l) {
                  eb(c).setAsInt(l);
                }
              });
      case "trace_id" ->
          acc(
              c -> id(c.exemplar().getTraceId(), 16),
              (c, v) -> {
                ByteString b = idFrom(v, 16, "trace_id");
                if (b != null) {
                  eb(c).setTraceId(b);
                }
              });
      case "span_id" ->
          acc(
              c -> id(c.exemplar().getSpanId(), 8),
              (c, v) -> {
                ByteString b = idFrom(v, 8, "span_id");
                if (b != null) {
                  eb(c).setSpanId(b);
                }
              });
      default -> null;
    };
  }
}
