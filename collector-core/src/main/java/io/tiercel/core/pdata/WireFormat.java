package io.tiercel.core.pdata;

/**
 * Allocation-free walks over serialized OTLP messages. Used to count items without parsing, and as
 * the base of the wire-level split (DESIGN.md section 3): it knows the field numbers of the OTLP
 * envelope ({@code *Data -> Resource* -> Scope* -> item}).
 */
public final class WireFormat {
  public static final int WT_VARINT = 0;
  public static final int WT_I64 = 1;
  public static final int WT_LEN = 2;
  public static final int WT_I32 = 5;

  private WireFormat() {}

  /**
   * Counts the items of a serialized {@code TracesData}/{@code MetricsData}/{@code LogsData}/{@code
   * ProfilesData} (or request twin).
   *
   * @throws MalformedDataException if the bytes are not well-formed protobuf down to the item level
   */
  public static int countItems(Signal signal, byte[] b) {
    try {
      return switch (signal) {
        case TRACES, LOGS -> countNested(b, 0, b.length, 3, 3);
        case PROFILES -> countNested(b, 0, b.length, 4, 4);
        case METRICS -> countMetricPoints(b, 0, b.length, 0);
      };
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      throw new MalformedDataException(
          "malformed OTLP " + signal + " protobuf: " + e.getMessage(), e);
    }
  }

  /**
   * Counts occurrences of field 1 at the top, then of field 2 inside it at each level below: the
   * shape shared by traces ({@code resource_spans.scope_spans.spans}), logs ({@code
   * resource_logs.scope_logs.log_records}) and profiles ({@code
   * resource_profiles.scope_profiles.profiles.samples}; the request's {@code dictionary}, field 2
   * at the top, holds no items).
   */
  private static int countNested(byte[] b, int pos, int end, int levels, int top) {
    int wanted = levels == top ? 1 : 2;
    int n = 0;
    while (pos < end) {
      long tag = readVarint(b, pos, end);
      pos = varintEnd(b, pos, end);
      int field = (int) (tag >>> 3);
      int wt = (int) (tag & 7);
      if (wt == WT_LEN) {
        long len = readVarint(b, pos, end);
        pos = varintEnd(b, pos, end);
        int next = checkedEnd(pos, len, end);
        if (field == wanted) {
          n += levels == 1 ? 1 : countNested(b, pos, next, levels - 1, top);
        }
        pos = next;
      } else {
        if (field == wanted) {
          throw new IllegalStateException(
              "field " + field + " has wire type " + wt + ", expected a message");
        }
        pos = skip(b, pos, end, wt);
      }
    }
    if (pos != end) {
      throw new IllegalStateException("truncated message");
    }
    return n;
  }

  // depth 0: MetricsData.resource_metrics(1); 1: ResourceMetrics.scope_metrics(2); 2:
  // ScopeMetrics.metrics(2);
  // 3: Metric.{gauge 5,sum 7,histogram 9,exponential_histogram 10,summary 11}; 4: *.data_points(1)
  private static int countMetricPoints(byte[] b, int pos, int end, int depth) {
    int n = 0;
    while (pos < end) {
      long tag = readVarint(b, pos, end);
      pos = varintEnd(b, pos, end);
      int field = (int) (tag >>> 3);
      int wt = (int) (tag & 7);
      if (wt == WT_LEN) {
        long len = readVarint(b, pos, end);
        pos = varintEnd(b, pos, end);
        int next = checkedEnd(pos, len, end);
        switch (depth) {
          case 0 -> n += field == 1 ? countMetricPoints(b, pos, next, 1) : 0;
          case 1, 2 -> n += field == 2 ? countMetricPoints(b, pos, next, depth + 1) : 0;
          case 3 ->
              n +=
                  (field == 5 || field == 7 || field == 9 || field == 10 || field == 11)
                      ? countMetricPoints(b, pos, next, 4)
                      : 0;
          default -> n += field == 1 ? 1 : 0;
        }
        pos = next;
      } else {
        pos = skip(b, pos, end, wt);
      }
    }
    if (pos != end) {
      throw new IllegalStateException("truncated message");
    }
    return n;
  }

  /** Reads a varint starting at {@code pos}. */
  public static long readVarint(byte[] b, int pos, int end) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IllegalStateException("truncated varint");
      }
      byte x = b[pos++];
      result |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return result;
      }
    }
    throw new IllegalStateException("malformed varint");
  }

  /** Position after the varint starting at {@code pos}. */
  public static int varintEnd(byte[] b, int pos, int end) {
    for (int i = 0; i < 10; i++) {
      if (pos >= end) {
        throw new IllegalStateException("truncated varint");
      }
      if (b[pos++] >= 0) {
        return pos;
      }
    }
    throw new IllegalStateException("malformed varint");
  }

  /** Skips a non-LEN field value of wire type {@code wt}; returns the new position. */
  public static int skip(byte[] b, int pos, int end, int wt) {
    int next =
        switch (wt) {
          case WT_VARINT -> varintEnd(b, pos, end);
          case WT_I64 -> pos + 8;
          case WT_I32 -> pos + 4;
          case WT_LEN -> {
            long len = readVarint(b, pos, end);
            yield checkedEnd(varintEnd(b, pos, end), len, end);
          }
          default -> throw new IllegalStateException("unsupported wire type " + wt);
        };
    if (next > end) {
      throw new IllegalStateException("truncated field");
    }
    return next;
  }

  private static int checkedEnd(int pos, long len, int end) {
    if (len < 0 || len > end - pos) {
      throw new IllegalStateException("length " + len + " exceeds the enclosing message");
    }
    return pos + (int) len;
  }
}
