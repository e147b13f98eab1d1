package io.tiercel.core.pdata;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The full structural check of a serialized OTLP request, made at the edge before a request is
 * accepted: one walk over every nested message per the OTLP schema, without building objects. It
 * checks every tag (field number 1 or more, no groups), every length against its enclosing message,
 * the wire type of every known field (a packed repeated scalar may also come unpacked, as protobuf
 * allows), the UTF-8 of every {@code string} field (protobuf requires it), the length of trace and
 * span ids (16 and 8 bytes, or empty, as the collector's pdata requires), and a nesting depth of at
 * most {@value #MAX_DEPTH} messages, the default recursion limit of protobuf-java, so that what
 * passes here parses in every later stage. Unknown field numbers are skipped (newer OTLP versions
 * add fields). The same walk counts the items (spans, data points, log records).
 *
 * <p>The schema is read once from the generated OTLP message descriptors, so it follows the OTLP
 * version on the class path. Thread-safe and allocation-free unless the bytes are malformed.
 */
public final class OtlpStructure {
  /** The deepest nesting of messages accepted (the request itself is depth 0). */
  public static final int MAX_DEPTH = 100;

  private static final int WT_VARINT = WireFormat.WT_VARINT;
  private static final int WT_I64 = WireFormat.WT_I64;
  private static final int WT_LEN = WireFormat.WT_LEN;
  private static final int WT_I32 = WireFormat.WT_I32;

  /** What a field's value must be beyond its wire type. */
  private enum Kind {
    SCALAR,
    PACKABLE,
    STRING,
    BYTES,
    ID,
    MESSAGE
  }

  /** A known field of a message. */
  private static final class Field {
    final String name;
    final int wireType;
    final Kind kind;
    final int idLength; // for ID fields
    final boolean item; // each occurrence is one item (span, data point, log record)
    Schema child; // for MESSAGE fields; set after all schemas exist (the schema is recursive)

    Field(String name, int wireType, Kind kind, int idLength, boolean item) {
      this.name = name;
      this.wireType = wireType;
      this.kind = kind;
      this.idLength = idLength;
      this.item = item;
    }
  }

  /** The known fields of one message type, indexed by field number. */
  private static final class Schema {
    final String name;
    Field[] fields = new Field[0];

    Schema(String name) {
      this.name = name;
    }

    Field field(int number) {
      return number < fields.length ? fields[number] : null;
    }
  }

  private static final Set<String> ITEMS =
      Set.of(
          "opentelemetry.proto.trace.v1.Span",
          "opentelemetry.proto.logs.v1.LogRecord",
          "opentelemetry.proto.metrics.v1.NumberDataPoint",
          "opentelemetry.proto.metrics.v1.HistogramDataPoint",
          "opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint",
          "opentelemetry.proto.metrics.v1.SummaryDataPoint",
          "opentelemetry.proto.profiles.v1development.Sample");

  private static final Schema TRACES;
  private static final Schema METRICS;
  private static final Schema LOGS;
  private static final Schema PROFILES;

  static {
    Map<String, Schema> all = new HashMap<>();
    TRACES = schema(TracesData.getDescriptor(), all);
    METRICS = schema(MetricsData.getDescriptor(), all);
    LOGS = schema(LogsData.getDescriptor(), all);
    PROFILES = schema(ProfilesData.getDescriptor(), all);
  }

  private OtlpStructure() {}

  private static Schema schema(Descriptor d, Map<String, Schema> all) {
    Schema s = all.get(d.getFullName());
    if (s != null) {
      return s;
    }
    s = new Schema(d.getName());
    all.put(d.getFullName(), s);
    int max = 0;
    for (FieldDescriptor f : d.getFields()) {
      max = Math.max(max, f.getNumber());
    }
    Field[] fields = new Field[max + 1];
    for (FieldDescriptor f : d.getFields()) {
      Field field = field(f);
      fields[f.getNumber()] = field;
      if (field.kind == Kind.MESSAGE) {
        field.child = schema(f.getMessageType(), all);
      }
    }
    s.fields = fields;
    return s;
  }

  private static Field field(FieldDescriptor f) {
    String name = f.getName();
    return switch (f.getJavaType()) {
      case MESSAGE ->
          new Field(
              name, WT_LEN, Kind.MESSAGE, 0, ITEMS.contains(f.getMessageType().getFullName()));
      case STRING -> new Field(name, WT_LEN, Kind.STRING, 0, false);
      case BYTE_STRING -> {
        int id =
            switch (name) {
              case "trace_id" -> 16;
              case "span_id", "parent_span_id" -> 8;
              default -> 0;
            };
        yield new Field(name, WT_LEN, id > 0 ? Kind.ID : Kind.BYTES, id, false);
      }
      default -> {
        int wt =
            switch (f.getType()) {
              case DOUBLE, FIXED64, SFIXED64 -> WT_I64;
              case FLOAT, FIXED32, SFIXED32 -> WT_I32;
              default -> WT_VARINT;
            };
        yield new Field(name, wt, f.isRepeated() ? Kind.PACKABLE : Kind.SCALAR, 0, false);
      }
    };
  }

  /**
   * Checks {@code b} as a serialized request of {@code signal} (a {@code TracesData}, {@code
   * MetricsData}, {@code LogsData} or {@code ProfilesData}, or its {@code Export*ServiceRequest}
   * twin) and counts its items.
   *
   * @return the number of items
   * @throws MalformedDataException naming the first problem, and its field path and byte offset
   *     when it is inside a nested message
   */
  public static int check(Signal signal, byte[] b) {
    Schema root =
        switch (signal) {
          case TRACES -> TRACES;
          case METRICS -> METRICS;
          case LOGS -> LOGS;
          case PROFILES -> PROFILES;
        };
    Walk w = new Walk(b);
    try {
      return w.message(root, 0, b.length, 0);
    } catch (Problem p) {
      throw new MalformedDataException(
          "malformed OTLP " + signal + " protobuf: " + p.getMessage() + w.where(p.depth), null);
    }
  }

  /** A problem found at a depth; the walk names the path on the way out. */
  private static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int depth;

    Problem(String message, int depth) {
      super(message, null, false, false);
      this.depth = depth;
    }
  }

  /** One walk: the bytes, and the path of fields to the message being read (for errors). */
  private static final class Walk {
    private final byte[] b;
    private final Field[] path = new Field[MAX_DEPTH + 2];
    private int errorPos;
    private int after; // the end of the varint read last

    Walk(byte[] b) {
      this.b = b;
    }

    /** Where a problem at {@code depth} is: the field path and byte offset, or "" at the top. */
    String where(int depth) {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i <= depth; i++) {
        if (path[i] != null) {
          sb.append(sb.length() == 0 ? "" : ".").append(path[i].name);
        }
      }
      return sb.length() == 0 ? "" : " (at " + sb + ", byte " + errorPos + ")";
    }

    private Problem problem(String message, int pos, int depth) {
      errorPos = pos;
      return new Problem(message, depth);
    }

    /** Walks the message in {@code [pos, end)}; returns the items in it. */
    int message(Schema schema, int pos, int end, int depth) {
      int items = 0;
      while (pos < end) {
        int tagPos = pos;
        long tag = varint(pos, end, depth);
        pos = after;
        if (tag >>> 3 == 0 || tag >>> 3 > 0x1FFFFFFF) {
          throw problem("invalid field number " + (tag >>> 3), tagPos, depth);
        }
        int number = (int) (tag >>> 3);
        int wt = (int) (tag & 7);
        Field f = schema.field(number);
        path[depth + 1] = f;
        if (f != null && wt != f.wireType && !(f.kind == Kind.PACKABLE && wt == WT_LEN)) {
          throw problem(
              schema.name
                  + " field "
                  + number
                  + (" (" + f.name + ")")
                  + " has wire type "
                  + wt
                  + ", expected "
                  + f.wireType,
              tagPos,
              depth);
        }
        switch (wt) {
          case WT_VARINT -> pos = varintEnd(pos, end, depth);
          case WT_I64 -> pos = fixed(pos, 8, end, depth);
          case WT_I32 -> pos = fixed(pos, 4, end, depth);
          case WT_LEN -> {
            long len = varint(pos, end, depth);
            pos = after;
            if (len < 0 || len > end - pos) {
              throw problem("length " + len + " exceeds the enclosing message", pos, depth);
            }
            int next = pos + (int) len;
            if (f != null) {
              items += value(f, pos, next, depth);
            }
            pos = next;
          }
          default -> throw problem("unsupported wire type " + wt, tagPos, depth);
        }
      }
      return items;
    }

    /** Checks a LEN value of a known field; returns the items in it. */
    private int value(Field f, int pos, int end, int depth) {
      switch (f.kind) {
        case MESSAGE -> {
          if (depth + 1 > MAX_DEPTH) {
            throw problem("messages nested deeper than " + MAX_DEPTH, pos, depth + 1);
          }
          int n = message(f.child, pos, end, depth + 1);
          return f.item ? n + 1 : n;
        }
        case STRING -> {
          int bad = Utf8Check.firstInvalid(b, pos, end);
          if (bad >= 0) {
            throw problem("invalid UTF-8 in a string", bad, depth + 1);
          }
        }
        case ID -> {
          if (end != pos && end - pos != f.idLength) {
            throw problem(
                f.name + " has " + (end - pos) + " bytes, expected " + f.idLength, pos, depth + 1);
          }
        }
        case PACKABLE -> packed(f, pos, end, depth);
        default -> {
          // bytes: any content
        }
      }
      return 0;
    }

    private void packed(Field f, int pos, int end, int depth) {
      if (f.wireType == WT_VARINT) {
        while (pos < end) {
          pos = varintEnd(pos, end, depth + 1);
        }
      } else {
        int width = f.wireType == WT_I64 ? 8 : 4;
        if ((end - pos) % width != 0) {
          throw problem(
              "packed " + f.name + " of " + (end - pos) + " bytes is not a multiple of " + width,
              pos,
              depth + 1);
        }
      }
    }

    private int fixed(int pos, int width, int end, int depth) {
      if (end - pos < width) {
        throw problem("truncated " + (width * 8) + "-bit value", pos, depth + 1);
      }
      return pos + width;
    }

    /** Reads the varint at {@code pos}; its end goes to {@link #after}. */
    private long varint(int pos, int end, int depth) {
      if (pos < end && b[pos] >= 0) {
        after = pos + 1;
        return b[pos];
      }
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw problem("truncated varint", pos, depth);
        }
        byte x = b[pos++];
        result |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          after = pos;
          return result;
        }
      }
      throw problem("malformed varint", pos, depth);
    }

    private int varintEnd(int pos, int end, int depth) {
      for (int i = 0; i < 10; i++) {
        if (pos >= end) {
          throw problem("truncated varint", pos, depth);
        }
        if (b[pos++] >= 0) {
          return pos;
        }
      }
      throw problem("malformed varint", pos, depth);
    }
  }
}
