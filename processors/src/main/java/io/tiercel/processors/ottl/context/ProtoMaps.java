package io.tiercel.processors.ottl.context;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A data point or exemplar as an OTTL map and back, for the paths that hand out such objects as
 * wholes ({@code metric.data_points}, {@code datapoint.exemplars}), where the collector hands out
 * pdata objects. Keys are the protobuf field names; attribute lists are maps, ids and bytes are
 * bytes, enums their numbers, unset optional fields are absent.
 */
final class ProtoMaps {
  private ProtoMaps() {}

  /** A message as a map keyed by its field names. */
  static Map<String, Object> toMap(MessageOrBuilder m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      if (f.isRepeated()) {
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) m.getField(f);
        if (isKeyValues(f)) {
          @SuppressWarnings("unchecked")
          List<KeyValue> kvs = (List<KeyValue>) (List<?>) items;
          out.put(f.getName(), Values.fromKeyValues(kvs));
          continue;
        }
        List<Object> list = new ArrayList<>(items.size());
        for (Object item : items) {
          list.add(value(f, item));
        }
        out.put(f.getName(), list);
      } else if (!f.hasPresence() || m.hasField(f)) {
        out.put(f.getName(), value(f, m.getField(f)));
      }
    }
    return out;
  }

  private static Object value(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case INT -> (long) (Integer) v;
      case FLOAT -> (double) (Float) v;
      case BYTE_STRING -> Bytes.wrap(((ByteString) v).toByteArray());
      case ENUM -> (long) ((EnumValueDescriptor) v).getNumber();
      case MESSAGE -> toMap((MessageOrBuilder) v);
      default -> v; // long, double, boolean, string
    };
  }

  /**
   * Builds a message of {@code b}'s type from a map as {@link #toMap} gives it; null when the map
   * has a value of the wrong type for its field. Keys that are no field are left out.
   */
  static <B extends Message.Builder> @Nullable B fromMap(B b, Map<?, ?> m) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      FieldDescriptor f = b.getDescriptorForType().findFieldByName(String.valueOf(e.getKey()));
      if (f == null || e.getValue() == null) {
        continue;
      }
      Object v = e.getValue();
      if (f.isRepeated()) {
        if (isKeyValues(f) && v instanceof Map<?, ?> attrs) {
          for (KeyValue kv : Values.toKeyValues(attrs)) {
            b.addRepeatedField(f, kv);
          }
          continue;
        }
        if (!(v instanceof List<?> items)) {
          return null;
        }
        for (Object item : items) {
          Object p = proto(b, f, item);
          if (p == null) {
            return null;
          }
          b.addRepeatedField(f, p);
        }
        continue;
      }
      Object p = proto(b, f, v);
      if (p == null) {
        return null;
      }
      b.setField(f, p);
    }
    return b;
  }

  private static @Nullable Object proto(Message.Builder b, FieldDescriptor f, @Nullable Object v) {
    Object n = Values.norm(v);
    return switch (f.getJavaType()) {
      case INT -> n instanceof Long l && l == l.intValue() ? l.intValue() : null;
      case LONG -> n instanceof Long l ? l : null;
      case FLOAT -> n instanceof Number d ? d.floatValue() : null;
      case DOUBLE -> n instanceof Number d ? d.doubleValue() : null;
      case BOOLEAN -> n instanceof Boolean x ? x : null;
      case STRING -> n instanceof String s ? s : null;
      case BYTE_STRING -> n instanceof Bytes x ? ByteString.copyFrom(x.toArray()) : null;
      case ENUM -> n instanceof Long l ? f.getEnumType().findValueByNumber(l.intValue()) : null;
      case MESSAGE -> {
        if (!(n instanceof Map<?, ?> m)) {
          yield null;
        }
        Message.Builder sub = fromMap(b.newBuilderForField(f), m);
        yield sub == null ? null : sub.build();
      }
    };
  }

  private static boolean isKeyValues(FieldDescriptor f) {
    return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && f.getMessageType().getFullName().equals(KeyValue.getDescriptor().getFullName());
  }
}
