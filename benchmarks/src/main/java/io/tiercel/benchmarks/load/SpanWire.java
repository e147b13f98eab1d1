package io.tiercel.benchmarks.load;

/**
 * Walks OTLP traces on the wire ({@code TracesData} / {@code ExportTraceServiceRequest}:
 * resource_spans = 1 -> scope_spans = 2 -> spans = 2 -> trace_id = 1) without parsing: counts the
 * spans and reports where each span's trace id starts. The load tool uses it to count what arrived
 * and to read the send time it wrote into the first 8 bytes of every trace id.
 */
final class SpanWire {
  private SpanWire() {}

  /**
   * Called once per span with the offset of its 16-byte trace id in {@code buf} (-1 when it has
   * none).
   */
  @FunctionalInterface
  interface Visitor {
    void span(byte[] buf, int traceIdOffset);
  }

  /**
   * Visits every span of a traces message.
   *
   * @return the number of spans
   * @throws IllegalArgumentException when the bytes are not a well-formed message
   */
  static int forEachSpan(byte[] b, Visitor v) {
    int count = 0;
    Reader top = new Reader(b, 0, b.length);
    while (top.more()) {
      int tag = top.tag();
      if (tag == ((1 << 3) | 2)) {
        Reader rs = top.sub();
        while (rs.more()) {
          int t2 = rs.tag();
          if (t2 == ((2 << 3) | 2)) {
            Reader ss = rs.sub();
            while (ss.more()) {
              int t3 = ss.tag();
              if (t3 == ((2 << 3) | 2)) {
                Reader span = ss.sub();
                int traceId = -1;
                while (span.more()) {
                  int t4 = span.tag();
                  if (t4 == ((1 << 3) | 2)) {
                    int len = span.varint32();
                    if (len == 16) {
                      traceId = span.pos;
                    }
                    span.skipBytes(len);
                  } else {
                    span.skip(t4);
                  }
                }
                v.span(b, traceId);
                count++;
              } else {
                ss.skip(t3);
              }
            }
          } else {
            rs.skip(t2);
          }
        }
      } else {
        top.skip(tag);
      }
    }
    return count;
  }

  /** The first 8 bytes at {@code off}, big-endian. */
  static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  /** Writes {@code v} big-endian into 8 bytes at {@code off}. */
  static void writeLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  /** Writes {@code v} big-endian into 4 bytes at {@code off}. */
  static void writeInt(byte[] b, int off, int v) {
    for (int i = 3; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;

    Reader(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      return varint32();
    }

    int varint32() {
      long v = varint();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("length out of range at " + pos);
      }
      return (int) v;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated varint at " + pos);
        }
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("malformed varint at " + pos);
    }

    Reader sub() {
      int len = varint32();
      if (len > end - pos) {
        throw new IllegalArgumentException("truncated message at " + pos);
      }
      Reader r = new Reader(b, pos, pos + len);
      pos += len;
      return r;
    }

    void skipBytes(int len) {
      if (len > end - pos) {
        throw new IllegalArgumentException("truncated field at " + pos);
      }
      pos += len;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> skipBytes(8);
        case 2 -> skipBytes(varint32());
        case 5 -> skipBytes(4);
        default ->
            throw new IllegalArgumentException("unsupported wire type " + (tag & 7) + " at " + pos);
      }
    }
  }
}
