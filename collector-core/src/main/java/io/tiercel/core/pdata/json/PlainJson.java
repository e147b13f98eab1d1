package io.tiercel.core.pdata.json;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JSON (not the OTLP mapping) as an {@link AnyValue} and back, as the collector turns JSON
 * into a log body ({@code pcommon.Value.FromRaw} of Go's decoded JSON) and a body into JSON ({@code
 * json.Marshal} of {@code AsRaw()}): objects are maps (a repeated key keeps its last value, at the
 * place of its first), arrays are arrays, every number is a double, {@code null} is the empty
 * value; written back, bytes are base64 strings and the empty value is {@code null}. Stateless.
 */
public final class PlainJson {
  private PlainJson() {}

  /**
   * Parses one JSON value; whitespace around it is allowed, anything else after it is not.
   *
   * @throws OtlpJsonException when {@code json} is not one JSON value (or nests too deep)
   */
  public static AnyValue parse(byte[] json) {
    JsonReader r = new JsonReader(json, 0, json.length);
    AnyValue v = value(r);
    r.endDocument();
    return v;
  }

  /**
   * Parses a sequence of JSON values separated by whitespace (newline-delimited JSON, or values
   * side by side).
   *
   * @throws OtlpJsonException when the text is not such a sequence
   */
  public static List<AnyValue> parseSequence(byte[] json) {
    JsonReader r = new JsonReader(json, 0, json.length);
    java.util.ArrayList<AnyValue> out = new java.util.ArrayList<>();
    while (r.peek() != JsonReader.Token.END) {
      out.add(value(r));
    }
    return out;
  }

  private static AnyValue value(JsonReader r) {
    return switch (r.peek()) {
      case BEGIN_OBJECT -> {
        r.beginObject();
        Map<String, AnyValue> members = new LinkedHashMap<>();
        while (r.hasNext()) {
          String k = r.nextName();
          members.put(k, value(r));
        }
        r.endObject();
        KeyValueList.Builder kv = KeyValueList.newBuilder();
        members.forEach((k, v) -> kv.addValues(KeyValue.newBuilder().setKey(k).setValue(v)));
        yield AnyValue.newBuilder().setKvlistValue(kv).build();
      }
      case BEGIN_ARRAY -> {
        r.beginArray();
        ArrayValue.Builder a = ArrayValue.newBuilder();
        while (r.hasNext()) {
          a.addValues(value(r));
        }
        r.endArray();
        yield AnyValue.newBuilder().setArrayValue(a).build();
      }
      case STRING -> AnyValue.newBuilder().setStringValue(r.nextString()).build();
      case NUMBER -> {
        String text = r.nextNumber();
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
          throw r.error("number " + text + " is out of range of a double");
        }
        yield AnyValue.newBuilder().setDoubleValue(d).build();
      }
      case TRUE, FALSE -> AnyValue.newBuilder().setBoolValue(r.nextBoolean()).build();
      case NULL -> {
        r.nextNull();
        yield AnyValue.getDefaultInstance();
      }
      default -> throw r.error("expected a JSON value but found " + r.peekDescription());
    };
  }

  /** Writes {@code v} as plain JSON (UTF-8). */
  public static byte[] write(AnyValue v) {
    JsonWriter w = new JsonWriter(64, false);
    write(w, v);
    return w.toByteArray();
  }

  private static void write(JsonWriter w, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> w.string(v.getStringValue());
      case BOOL_VALUE -> w.bool(v.getBoolValue());
      case INT_VALUE -> w.int64(v.getIntValue());
      case DOUBLE_VALUE -> w.number(v.getDoubleValue());
      case BYTES_VALUE -> w.base64(v.getBytesValue());
      case ARRAY_VALUE -> {
        w.beginArray();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          w.element();
          write(w, e);
        }
        w.endArray();
      }
      case KVLIST_VALUE -> {
        w.beginObject();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          w.anyName(kv.getKey());
          write(w, kv.getValue());
        }
        w.endObject();
      }
      default -> w.nullValue();
    }
  }
}
