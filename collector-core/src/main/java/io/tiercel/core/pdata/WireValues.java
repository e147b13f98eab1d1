package io.tiercel.core.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.opentelemetry.proto.common.v1.AnyValue;
import org.jspecify.annotations.Nullable;

/** Values read from checked wire bytes: attribute lookups by key bytes, heads of entries. */
final class WireValues {
  private static final int KEY_TAG = 1 << 3 | WireFormat.WT_LEN;
  private static final int VALUE_TAG = 2 << 3 | WireFormat.WT_LEN;

  private WireValues() {}

  /**
   * The value of the first {@code KeyValue} (field tag {@code attrTag} of the message {@code [pos,
   * end)}) whose key is {@code key}, or null; the first, as a lookup in the parsed list finds. The
   * key is compared as bytes, and only the value found is parsed.
   */
  static @Nullable AnyValue attribute(byte[] b, int pos, int end, int attrTag, String key) {
    while (pos < end) {
      int t = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int next = WireIndex.skipValue(b, pos, end, t);
      if (t == attrTag) {
        int start = WireFormat.varintEnd(b, pos, end);
        int k = WireIndex.last(b, start, next, KEY_TAG);
        boolean match =
            k < 0
                ? key.isEmpty()
                : Utf8.sameAs(key, b, WireIndex.contentStart(b, k), WireIndex.contentEnd(b, k));
        if (match) {
          return value(b, start, next);
        }
      }
      pos = next;
    }
    return null;
  }

  /**
   * Like {@link #attribute} for the attributes of a message field ({@code outerTag}) of {@code
   * [pos, end)}: the occurrences of a message field merge, so their attribute lists concatenate.
   */
  static @Nullable AnyValue nestedAttribute(
      byte[] b, int pos, int end, int outerTag, int attrTag, String key) {
    while (pos < end) {
      int t = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int next = WireIndex.skipValue(b, pos, end, t);
      if (t == outerTag) {
        AnyValue v = attribute(b, WireFormat.varintEnd(b, pos, end), next, attrTag, key);
        if (v != null) {
          return v;
        }
      }
      pos = next;
    }
    return null;
  }

  /**
   * Like {@link #attribute}, but a value that is one plain string field comes back as the decoded
   * {@link String} itself (no {@code AnyValue} is parsed); any other value as its {@code AnyValue}.
   */
  static @Nullable Object attributeValue(byte[] b, int pos, int end, int attrTag, String key) {
    while (pos < end) {
      int t = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int next = WireIndex.skipValue(b, pos, end, t);
      if (t == attrTag) {
        int start = WireFormat.varintEnd(b, pos, end);
        int k = WireIndex.last(b, start, next, KEY_TAG);
        boolean match =
            k < 0
                ? key.isEmpty()
                : Utf8.sameAs(key, b, WireIndex.contentStart(b, k), WireIndex.contentEnd(b, k));
        if (match) {
          String s = plainString(b, start, next);
          return s != null ? s : value(b, start, next);
        }
      }
      pos = next;
    }
    return null;
  }

  /**
   * The string of a {@code KeyValue} whose only value field holds exactly one {@code string_value}
   * field and nothing else, decoded; else null.
   */
  private static @Nullable String plainString(byte[] b, int pos, int end) {
    int value = -1;
    while (pos < end) {
      int t = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int next = WireIndex.skipValue(b, pos, end, t);
      if (t == VALUE_TAG) {
        if (value >= 0) {
          return null;
        }
        value = pos;
      }
      pos = next;
    }
    if (value < 0) {
      return null;
    }
    int vs = WireIndex.contentStart(b, value);
    int ve = WireIndex.contentEnd(b, value);
    if (vs >= ve || b[vs] != KEY_TAG) {
      return null; // empty value or another first field: string_value is field 1, length-delimited
    }
    int ss = WireFormat.varintEnd(b, vs + 1, ve);
    int se = ss + (int) WireFormat.readVarint(b, vs + 1, ve);
    return se == ve ? Utf8.decode(b, ss, se) : null;
  }

  /** The value of the {@code KeyValue} in {@code [pos, end)}: its value fields merged. */
  private static AnyValue value(byte[] b, int pos, int end) {
    AnyValue single = null;
    AnyValue.Builder merged = null;
    try {
      while (pos < end) {
        int t = (int) WireFormat.readVarint(b, pos, end);
        pos = WireFormat.varintEnd(b, pos, end);
        int next = WireIndex.skipValue(b, pos, end, t);
        if (t == VALUE_TAG) {
          int start = WireFormat.varintEnd(b, pos, end);
          if (single == null && merged == null) {
            single = AnyValue.parser().parseFrom(b, start, next - start);
          } else {
            if (merged == null) {
              merged = single.toBuilder();
            }
            merged.mergeFrom(b, start, next - start);
          }
        }
        pos = next;
      }
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedDataException("malformed OTLP attribute value: " + e.getMessage(), e);
    }
    return merged != null
        ? merged.build()
        : single != null ? single : AnyValue.getDefaultInstance();
  }

  /**
   * The message in {@code [pos, end)} without its length-delimited field 2 entries (the list below
   * a resource or scope entry), parsed.
   */
  static MessageLite head(byte[] b, int pos, int end, Parser<? extends MessageLite> parser) {
    byte[] out = new byte[end - pos];
    int n = 0;
    while (pos < end) {
      int at = pos;
      int t = (int) WireFormat.readVarint(b, pos, end);
      pos = WireIndex.skipValue(b, WireFormat.varintEnd(b, pos, end), end, t);
      if (t != WireIndex.TAG_2_LEN) {
        System.arraycopy(b, at, out, n, pos - at);
        n += pos - at;
      }
    }
    try {
      return parser.parseFrom(out, 0, n);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedDataException("malformed OTLP protobuf: " + e.getMessage(), e);
    }
  }
}
