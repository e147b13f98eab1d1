package io.tiercel.kafka.receiver;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.WireFormat;

/**
 * A strict walk over a serialized OTLP request that counts its items and rejects what cannot be
 * data of the expected signal: malformed protobuf, and valid protobuf of another signal. Protobuf
 * parsers accept a field whose wire type does not match the schema as an unknown field, so a logs
 * request parses as a traces request with no spans; this check knows the wire type of every field
 * of {@code Span}, {@code Metric}, {@code LogRecord} and {@code Profile} (and their envelopes; a
 * profiles request's dictionary is not walked) and the lengths of trace, span and profile ids (16
 * and 8 bytes, or empty, as the collector's pdata requires). Unknown field numbers are accepted
 * (newer OTLP versions). No allocation.
 */
final class OtlpCheck {
  private static final int LEN = WireFormat.WT_LEN;
  private static final int VARINT = WireFormat.WT_VARINT;
  private static final int I64 = WireFormat.WT_I64;
  private static final int I32 = WireFormat.WT_I32;
  private static final int ANY = -1;

  // wire type per field number of the item messages (index = field number, ANY = unknown)
  private static final int[] SPAN =
      types(
          16,
          new int[][] {
            {1, LEN},
            {2, LEN},
            {3, LEN},
            {4, LEN},
            {5, LEN},
            {6, VARINT},
            {7, I64},
            {8, I64},
            {9, LEN},
            {10, VARINT},
            {11, LEN},
            {12, VARINT},
            {13, LEN},
            {14, VARINT},
            {15, LEN},
            {16, I32}
          });
  private static final int[] LOG_RECORD =
      types(
          12,
          new int[][] {
            {1, I64},
            {2, VARINT},
            {3, LEN},
            {5, LEN},
            {6, LEN},
            {7, VARINT},
            {8, I32},
            {9, LEN},
            {10, LEN},
            {11, I64},
            {12, LEN}
          });
  private static final int[] METRIC =
      types(
          12,
          new int[][] {
            {1, LEN}, {2, LEN}, {3, LEN}, {5, LEN}, {7, LEN}, {9, LEN}, {10, LEN}, {11, LEN},
            {12, LEN}
          });
  // Profile: attribute_indices (11) may be packed or not, so it is left open
  private static final int[] PROFILE =
      types(
          11,
          new int[][] {
            {1, LEN},
            {2, LEN},
            {3, I64},
            {4, VARINT},
            {5, LEN},
            {6, VARINT},
            {7, LEN},
            {8, VARINT},
            {9, LEN},
            {10, LEN}
          });
  // Resource*/Scope* envelopes: 1 resource|scope, 2 children, 3 schema_url, all LEN
  private static final int[] ENVELOPE = types(3, new int[][] {{1, LEN}, {2, LEN}, {3, LEN}});

  private OtlpCheck() {}

  private static int[] types(int max, int[][] pairs) {
    int[] t = new int[max + 1];
    java.util.Arrays.fill(t, ANY);
    for (int[] p : pairs) {
      t[p[0]] = p[1];
    }
    return t;
  }

  /**
   * Counts the items of {@code b} as a request of {@code signal}.
   *
   * @throws PermanentException naming what is wrong when the bytes are not a request of that signal
   */
  static int check(Signal signal, byte[] b) {
    try {
      return walk(signal, b, 0, b.length, 0);
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      throw new PermanentException("not an OTLP " + signal + " request: " + e.getMessage(), e);
    }
  }

  // depth 0: request (field 1 = Resource*), 1: Resource* (2 = Scope*), 2: Scope* (2 = item), 3:
  // item
  private static int walk(Signal signal, byte[] b, int pos, int end, int depth) {
    int n = 0;
    int[] types = depth == 3 ? itemTypes(signal) : depth == 0 ? null : ENVELOPE;
    while (pos < end) {
      long tag = WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int field = (int) (tag >>> 3);
      int wt = (int) (tag & 7);
      if (field == 0) {
        throw new IllegalStateException("field number 0");
      }
      int expected =
          depth == 0 ? (field == 1 ? LEN : ANY) : field < types.length ? types[field] : ANY;
      if (expected != ANY && expected != wt) {
        throw new IllegalStateException(
            where(signal, depth)
                + " field "
                + field
                + " has wire type "
                + wt
                + ", expected "
                + expected);
      }
      if (wt == LEN) {
        long len = WireFormat.readVarint(b, pos, end);
        pos = WireFormat.varintEnd(b, pos, end);
        if (len < 0 || len > end - pos) {
          throw new IllegalStateException("length " + len + " exceeds the enclosing message");
        }
        int next = pos + (int) len;
        if (depth == 0 && field == 1 || depth == 1 && field == 2) {
          n += walk(signal, b, pos, next, depth + 1);
        } else if (depth == 2 && field == 2) {
          n += item(signal, b, pos, next);
        } else if (depth == 3) {
          checkId(signal, field, (int) len);
        }
        pos = next;
      } else {
        pos = WireFormat.skip(b, pos, end, wt);
      }
    }
    if (pos != end) {
      throw new IllegalStateException("truncated message");
    }
    return n;
  }

  private static int item(Signal signal, byte[] b, int pos, int end) {
    walk(signal, b, pos, end, 3);
    return switch (signal) {
      case METRICS -> dataPoints(b, pos, end);
      case PROFILES -> samples(b, pos, end);
      default -> 1;
    };
  }

  // Profile.samples (2): the items of profiles; the walk above checked the wire types
  private static int samples(byte[] b, int pos, int end) {
    int n = 0;
    while (pos < end) {
      long tag = WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int wt = (int) (tag & 7);
      if ((tag >>> 3) == 2) {
        n++;
      }
      pos = WireFormat.skip(b, pos, end, wt);
    }
    return n;
  }

  // Metric.{gauge 5, sum 7, histogram 9, exponential_histogram 10, summary 11}.data_points (1)
  private static int dataPoints(byte[] b, int pos, int end) {
    int n = 0;
    while (pos < end) {
      long tag = WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int field = (int) (tag >>> 3);
      int wt = (int) (tag & 7);
      if (wt == LEN) {
        long len = WireFormat.readVarint(b, pos, end);
        pos = WireFormat.varintEnd(b, pos, end);
        int next = pos + (int) len;
        if (field == 5 || field == 7 || field == 9 || field == 10 || field == 11) {
          n += countField1(b, pos, next);
        }
        pos = next;
      } else {
        pos = WireFormat.skip(b, pos, end, wt);
      }
    }
    return n;
  }

  private static int countField1(byte[] b, int pos, int end) {
    int n = 0;
    while (pos < end) {
      long tag = WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int wt = (int) (tag & 7);
      if ((tag >>> 3) == 1) {
        if (wt != LEN) {
          throw new IllegalStateException(
              "metric data_points has wire type " + wt + ", expected " + LEN);
        }
        n++;
      }
      pos = WireFormat.skip(b, pos, end, wt);
    }
    if (pos != end) {
      throw new IllegalStateException("truncated message");
    }
    return n;
  }

  private static void checkId(Signal signal, int field, int len) {
    if (signal == Signal.TRACES) {
      if (field == 1 && len != 0 && len != 16) {
        throw new IllegalStateException("span trace_id has " + len + " bytes, expected 16");
      }
      if ((field == 2 || field == 4) && len != 0 && len != 8) {
        throw new IllegalStateException(
            "span "
                + (field == 2 ? "span_id" : "parent_span_id")
                + " has "
                + len
                + " bytes, expected 8");
      }
    } else if (signal == Signal.PROFILES) {
      if (field == 7 && len != 0 && len != 16) {
        throw new IllegalStateException("profile profile_id has " + len + " bytes, expected 16");
      }
    } else if (signal == Signal.LOGS) {
      if (field == 9 && len != 0 && len != 16) {
        throw new IllegalStateException("log record trace_id has " + len + " bytes, expected 16");
      }
      if (field == 10 && len != 0 && len != 8) {
        throw new IllegalStateException("log record span_id has " + len + " bytes, expected 8");
      }
    }
  }

  private static int[] itemTypes(Signal signal) {
    return switch (signal) {
      case TRACES -> SPAN;
      case METRICS -> METRIC;
      case LOGS -> LOG_RECORD;
      case PROFILES -> PROFILE;
    };
  }

  private static String where(Signal signal, int depth) {
    return switch (depth) {
      case 1 -> "resource " + signal;
      case 2 -> "scope " + signal;
      default ->
          switch (signal) {
            case TRACES -> "span";
            case METRICS -> "metric";
            case LOGS -> "log record";
            case PROFILES -> "profile";
          };
    };
  }
}
