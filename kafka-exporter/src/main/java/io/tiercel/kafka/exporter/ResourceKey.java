package io.tiercel.kafka.exporter;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The record key of a resource when partitioning by resource attributes: the OpenTelemetry
 * Collector's {@code pdatautil.MapHash} (current contrib), so that Tiercel and collector exporters
 * writing one topic put a resource on the same partition. The attributes are serialized with keys
 * sorted bytewise (a type marker before each value, maps and lists recursively), then the key is
 * {@code LE64(xxh64(buf)) || LE64(xxh64(buf + 0xf3))}; an empty attribute set is 16 zero bytes.
 */
final class ResourceKey {
  private static final int KEY = 0xf4;
  private static final int EMPTY = 0xf5;
  private static final int BYTES = 0xf6;
  private static final int STR = 0xf7;
  private static final int TRUE = 0xf8;
  private static final int FALSE = 0xf9;
  private static final int INT = 0xfa;
  private static final int DOUBLE = 0xfb;
  private static final int MAP = 0xfc;
  private static final int MAP_END = 0xfd;
  private static final int LIST = 0xfe;
  private static final int LIST_END = 0xff;
  private static final int EXTRA = 0xf3;

  private ResourceKey() {}

  /** The 16-byte key of these attributes. */
  static byte[] of(List<KeyValue> attributes) {
    if (attributes.isEmpty()) {
      return new byte[16];
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    writeMap(buf, attributes);
    byte[] b = buf.toByteArray();
    byte[] out = new byte[16];
    putLongLe(out, 0, Xxh64.hash(b, 0, b.length));
    byte[] extra = Arrays.copyOf(b, b.length + 1);
    extra[b.length] = (byte) EXTRA;
    putLongLe(out, 8, Xxh64.hash(extra, 0, extra.length));
    return out;
  }

  private static void writeMap(ByteArrayOutputStream buf, List<KeyValue> kvs) {
    List<byte[]> keys = new ArrayList<>(kvs.size());
    for (KeyValue kv : kvs) {
      keys.add(kv.getKey().getBytes(StandardCharsets.UTF_8));
    }
    Integer[] order = new Integer[kvs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, (x, y) -> Arrays.compareUnsigned(keys.get(x), keys.get(y))); // Go's sort.Strings
    for (int i : order) {
      buf.write(KEY);
      buf.writeBytes(keys.get(i));
      writeValue(buf, first(kvs, kvs.get(i).getKey()));
    }
  }

  // a map holding a key twice answers Get with its first value
  private static AnyValue first(List<KeyValue> kvs, String key) {
    for (KeyValue kv : kvs) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    throw new AssertionError(key);
  }

  private static void writeValue(ByteArrayOutputStream buf, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> {
        buf.write(STR);
        buf.writeBytes(v.getStringValueBytes().toByteArray());
      }
      case BOOL_VALUE -> buf.write(v.getBoolValue() ? TRUE : FALSE);
      case INT_VALUE -> {
        buf.write(INT);
        writeLongLe(buf, v.getIntValue());
      }
      case DOUBLE_VALUE -> {
        buf.write(DOUBLE);
        writeLongLe(buf, Double.doubleToRawLongBits(v.getDoubleValue()));
      }
      case KVLIST_VALUE -> {
        buf.write(MAP);
        writeMap(buf, v.getKvlistValue().getValuesList());
        buf.write(MAP_END);
      }
      case ARRAY_VALUE -> {
        buf.write(LIST);
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          writeValue(buf, e);
        }
        buf.write(LIST_END);
      }
      case BYTES_VALUE -> {
        buf.write(BYTES);
        buf.writeBytes(v.getBytesValue().toByteArray());
      }
      case VALUE_NOT_SET -> buf.write(EMPTY);
      default -> buf.write(EMPTY); // a value type newer than this code: hashed as empty
    }
  }

  private static void writeLongLe(ByteArrayOutputStream buf, long v) {
    for (int i = 0; i < 8; i++) {
      buf.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  private static void putLongLe(byte[] out, int off, long v) {
    for (int i = 0; i < 8; i++) {
      out[off + i] = (byte) (v >>> (8 * i));
    }
  }
}
