package io.tiercel.core.pdata;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks serialized protobuf against a message schema without building objects, accepting exactly
 * what protobuf-java's parser accepts: a field whose wire type does not match its declaration is an
 * unknown field (kept, not an error); strings must be valid UTF-8 (every OTLP file is proto3);
 * lengths are 32-bit and may not be negative; unknown groups must close with their own end tag;
 * messages and groups nest at most {@link #RECURSION_LIMIT} deep. {@link TracesView} walks the
 * envelope with it and checks each resource, scope and item as it indexes them, so a view reports
 * malformed bytes where parsing them would have.
 */
final class WireCheck {
  /** protobuf-java's default recursion limit of {@code CodedInputStream}. */
  static final int RECURSION_LIMIT = 100;

  private static final byte UNKNOWN = 0;
  private static final byte MESSAGE = 1;
  private static final byte STRING = 2;
  private static final byte BYTES = 3;
  private static final byte VARINT = 4; // read as 32 bits: int32, uint32, sint32, enum
  private static final byte VARINT64 = 7; // read as 64 bits: int64, uint64, sint64, bool
  private static final byte FIXED64 = 5;
  private static final byte FIXED32 = 6;

  /** The field kinds of one message type, indexed by field number. */
  static final class Schema {
    private final byte[] kind;
    private final boolean[] repeated;
    private final Schema[] sub;

    private Schema(int maxField) {
      kind = new byte[maxField + 1];
      repeated = new boolean[maxField + 1];
      sub = new Schema[maxField + 1];
    }

    /** The schema of a message type field {@code field}, or null when it is not one. */
    Schema sub(int field) {
      return field < sub.length ? sub[field] : null;
    }
  }

  private WireCheck() {}

  /** The schema of {@code d} and of every message type it reaches. */
  static Schema schema(Descriptor d) {
    return schema(d, new HashMap<>());
  }

  private static Schema schema(Descriptor d, Map<Descriptor, Schema> seen) {
    Schema known = seen.get(d);
    if (known != null) {
      return known;
    }
    int max = 0;
    for (FieldDescriptor f : d.getFields()) {
      max = Math.max(max, f.getNumber());
    }
    Schema s = new Schema(max);
    seen.put(d, s);
    for (FieldDescriptor f : d.getFields()) {
      int n = f.getNumber();
      s.repeated[n] = f.isRepeated();
      s.kind[n] =
          switch (f.getJavaType()) {
            case MESSAGE -> MESSAGE;
            case STRING -> STRING;
            case BYTE_STRING -> BYTES;
            case INT, LONG, BOOLEAN, ENUM ->
                switch (f.getType()) {
                  case FIXED32, SFIXED32 -> FIXED32;
                  case FIXED64, SFIXED64 -> FIXED64;
                  case INT64, UINT64, SINT64, BOOL -> VARINT64;
                  default -> VARINT;
                };
            case DOUBLE -> FIXED64;
            case FLOAT -> FIXED32;
          };
      if (s.kind[n] == MESSAGE) {
        s.sub[n] = schema(f.getMessageType(), seen);
      }
    }
    return s;
  }

  /**
   * Checks the fields of one message in {@code [pos, end)}.
   *
   * @param depth the nesting depth of this message (the top-level message is 0)
   * @throws IllegalStateException when protobuf-java would refuse the bytes
   */
  static void message(Schema s, byte[] b, int pos, int end, int depth) {
    while (pos < end) {
      int tag = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      pos = field(s, tag, b, pos, end, depth);
    }
  }

  /**
   * Checks the value of one field whose tag has been read; returns the position after it.
   *
   * @throws IllegalStateException when protobuf-java would refuse the bytes, including an end-group
   *     tag outside a group
   */
  static int field(Schema s, int tag, byte[] b, int pos, int end, int depth) {
    int field = tag >>> 3;
    int wt = tag & 7;
    if (field == 0) {
      throw new IllegalStateException("invalid tag (zero)");
    }
    byte kind = field < s.kind.length ? s.kind[field] : UNKNOWN;
    switch (kind) {
      case MESSAGE, STRING, BYTES -> {
        if (wt == WireFormat.WT_LEN) {
          int len = length(b, pos, end);
          pos = WireFormat.varintEnd(b, pos, end);
          int next = pos + len;
          if (kind == MESSAGE) {
            nested(depth);
            message(s.sub[field], b, pos, next, depth + 1);
          } else if (kind == STRING && !Utf8.valid(b, pos, next)) {
            throw new IllegalStateException("invalid UTF-8 in field " + field);
          }
          return next;
        }
      }
      case VARINT, VARINT64, FIXED64, FIXED32 -> {
        if (wt == WireFormat.WT_LEN && s.repeated[field]) {
          int len = length(b, pos, end);
          pos = WireFormat.varintEnd(b, pos, end);
          packed(kind, b, pos, pos + len);
          return pos + len;
        }
        int expected =
            kind == VARINT || kind == VARINT64
                ? WireFormat.WT_VARINT
                : kind == FIXED64 ? WireFormat.WT_I64 : WireFormat.WT_I32;
        if (wt == expected) {
          return kind == VARINT64 ? varint64End(b, pos, end) : WireFormat.skip(b, pos, end, wt);
        }
      }
      default -> {}
    }
    return unknown(field, wt, b, pos, end, depth);
  }

  private static int unknown(int field, int wt, byte[] b, int pos, int end, int depth) {
    switch (wt) {
      case WireFormat.WT_VARINT -> {
        return varint64End(b, pos, end);
      }
      case WireFormat.WT_I64, WireFormat.WT_I32 -> {
        return WireFormat.skip(b, pos, end, wt);
      }
      case WireFormat.WT_LEN -> {
        int len = length(b, pos, end);
        return WireFormat.varintEnd(b, pos, end) + len;
      }
      case 3 -> {
        nested(depth);
        while (true) {
          if (pos >= end) {
            throw new IllegalStateException("group " + field + " is not closed");
          }
          int tag = (int) WireFormat.readVarint(b, pos, end);
          pos = WireFormat.varintEnd(b, pos, end);
          if ((tag & 7) == 4) {
            if (tag >>> 3 != field) {
              throw new IllegalStateException("end-group tag did not match expected tag");
            }
            return pos;
          }
          if (tag >>> 3 == 0) {
            throw new IllegalStateException("invalid tag (zero)");
          }
          pos = unknown(tag >>> 3, tag & 7, b, pos, end, depth + 1);
        }
      }
      case 4 -> throw new IllegalStateException("end-group tag did not match expected tag");
      default -> throw new IllegalStateException("invalid wire type " + wt);
    }
  }

  private static void nested(int depth) {
    if (depth + 1 > RECURSION_LIMIT) {
      throw new IllegalStateException("message nested more than " + RECURSION_LIMIT + " deep");
    }
  }

  /** A length prefix as protobuf-java reads it: 32 bits, not negative, within the message. */
  static int length(byte[] b, int pos, int end) {
    int len = (int) WireFormat.readVarint(b, pos, end);
    int start = WireFormat.varintEnd(b, pos, end);
    if (len < 0) {
      throw new IllegalStateException("negative length " + len);
    }
    if (len > end - start) {
      throw new IllegalStateException("length " + len + " exceeds the enclosing message");
    }
    return len;
  }

  /**
   * The end of a varint read as 64 bits, as protobuf-java's array decoder reads it: with ten bytes
   * or more left in the message it takes ten bytes when the first nine continue and the tenth has
   * its lowest bit set, whatever the tenth's continuation bit; otherwise at most ten bytes, the
   * last without a continuation bit.
   */
  static int varint64End(byte[] b, int pos, int end) {
    if (end - pos >= 10) {
      for (int i = 0; i < 9; i++) {
        if (b[pos + i] >= 0) {
          return pos + i + 1;
        }
      }
      byte tenth = b[pos + 9];
      if (tenth >= 0 || (tenth & 1) != 0) {
        return pos + 10;
      }
      throw new IllegalStateException("malformed varint");
    }
    return WireFormat.varintEnd(b, pos, end);
  }

  private static void packed(byte kind, byte[] b, int pos, int end) {
    while (pos < end) {
      pos =
          switch (kind) {
            case VARINT -> WireFormat.varintEnd(b, pos, end);
            case VARINT64 -> varint64End(b, pos, end);
            case FIXED64 -> pos + 8;
            default -> pos + 4;
          };
    }
    if (pos != end) {
      throw new IllegalStateException("truncated packed field");
    }
  }
}
