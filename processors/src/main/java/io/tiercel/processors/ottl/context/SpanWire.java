package io.tiercel.processors.ottl.context;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.CurrentItem;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Span fields read from the wire of a {@link TracesView} when the current span is one not edited,
 * else from the span message or builder: the same values, without parsing the span. Each reader
 * takes the field's tag (number and wire type: a field of another wire type is an unknown field to
 * protobuf, and is skipped here too) and the getter of the parsed form.
 */
final class SpanWire {
  static final int TRACE_ID = 1 << 3 | 2;
  static final int SPAN_ID = 2 << 3 | 2;
  static final int TRACE_STATE = 3 << 3 | 2;
  static final int PARENT_SPAN_ID = 4 << 3 | 2;
  static final int NAME = 5 << 3 | 2;
  static final int KIND = 6 << 3;
  static final int START = 7 << 3 | 1;
  static final int END = 8 << 3 | 1;
  static final int DROPPED_ATTRIBUTES = 10 << 3;
  static final int DROPPED_EVENTS = 12 << 3;
  static final int DROPPED_LINKS = 14 << 3;
  static final int STATUS = 15 << 3 | 2;
  static final int FLAGS = 16 << 3 | 5;
  private static final int STATUS_MESSAGE = 2 << 3 | 2;
  private static final int STATUS_CODE = 3 << 3;

  private SpanWire() {}

  static String string(CurrentItem c, int tag, Function<SpanOrBuilder, String> parsed) {
    TracesView v = c.spanWire();
    if (v == null) {
      return parsed.apply(c.span());
    }
    int p = v.spanField(c.spanIndex(), tag);
    return p < 0 ? "" : v.stringAt(p);
  }

  /** An int32, uint32 or enum field: the low 32 bits of the varint, as protobuf reads it. */
  static int int32(CurrentItem c, int tag, ToIntFunction<SpanOrBuilder> parsed) {
    TracesView v = c.spanWire();
    if (v == null) {
      return parsed.applyAsInt(c.span());
    }
    int p = v.spanField(c.spanIndex(), tag);
    return p < 0 ? 0 : (int) v.varintAt(p);
  }

  static long fixed64(CurrentItem c, int tag, ToLongFunction<SpanOrBuilder> parsed) {
    TracesView v = c.spanWire();
    if (v == null) {
      return parsed.applyAsLong(c.span());
    }
    int p = v.spanField(c.spanIndex(), tag);
    return p < 0 ? 0 : v.fixed64At(p);
  }

  static int fixed32(CurrentItem c, int tag, ToIntFunction<SpanOrBuilder> parsed) {
    TracesView v = c.spanWire();
    if (v == null) {
      return parsed.applyAsInt(c.span());
    }
    int p = v.spanField(c.spanIndex(), tag);
    return p < 0 ? 0 : v.fixed32At(p);
  }

  /**
   * An id of {@code len} bytes; all zeros when the field has another length, as in the collector.
   */
  static Bytes id(CurrentItem c, int tag, int len, Function<SpanOrBuilder, ByteString> parsed) {
    TracesView v = c.spanWire();
    if (v == null) {
      ByteString b = parsed.apply(c.span());
      return b.size() == len ? Bytes.wrap(b.toByteArray()) : Bytes.wrap(new byte[len]);
    }
    int p = v.spanField(c.spanIndex(), tag);
    return p >= 0 && v.lengthAt(p) == len ? Bytes.wrap(v.bytesAt(p)) : Bytes.wrap(new byte[len]);
  }

  static int statusCode(CurrentItem c) {
    TracesView v = c.spanWire();
    if (v == null) {
      return c.span().getStatus().getCodeValue();
    }
    int p = v.spanNestedField(c.spanIndex(), STATUS, STATUS_CODE);
    return p < 0 ? 0 : (int) v.varintAt(p);
  }

  static String statusMessage(CurrentItem c) {
    TracesView v = c.spanWire();
    if (v == null) {
      return c.span().getStatus().getMessage();
    }
    int p = v.spanNestedField(c.spanIndex(), STATUS, STATUS_MESSAGE);
    return p < 0 ? "" : v.stringAt(p);
  }
}
