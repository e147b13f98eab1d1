package io.tiercel.kafka.exporter;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Splits a serialized OTLP request into Kafka record values without building message objects
 * (DESIGN.md section 3): it walks {@code *Data -> Resource* -> Scope* -> item}, copies each item's
 * bytes into the output of its key (its trace id, or its resource), and frames them again with
 * their resource and scope bytes. Every output is at most {@code maxBytes} long: a group that would
 * be larger is cut into several values with the same key. The three signals share the envelope
 * shape (resource at field 1, scopes at field 2, items at field 2), so one walk serves all; only
 * the item field that holds the trace id differs (span 1, log record 9).
 *
 * <p>Stateless and thread-safe.
 */
public final class WireSplitter {
  /** How outputs are keyed. */
  public enum KeyBy {
    /** One group, no key: the request as is when it fits. */
    NONE,
    /**
     * One group per trace id (spans, or log records that carry one); key = 32 lowercase hex
     * characters.
     */
    TRACE_ID,
    /** One group per resource; key = the collector's 16-byte hash of the resource attributes. */
    RESOURCE
  }

  /**
   * One output record value.
   *
   * @param key the record key, or null
   * @param value a serialized {@code *Data} holding this part
   */
  public record Part(byte[] key, byte[] value) {}

  /**
   * The result of a split: the parts, and the items that cannot fit in {@code maxBytes} even alone
   * (dropped, counted here so the caller can fail them permanently).
   */
  public record Result(List<Part> parts, int oversizedItems, int largestOversizedItem) {}

  private static final int TAG_FIELD1_LEN = 0x0a;
  private static final int TAG_FIELD2_LEN = 0x12;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private WireSplitter() {}

  /**
   * Splits {@code data}.
   *
   * @param signal the signal the bytes hold
   * @param data a serialized {@code TracesData}/{@code MetricsData}/{@code LogsData} (or request
   *     twin)
   * @param keyBy how to group and key the outputs; {@link KeyBy#TRACE_ID} applies to traces and
   *     logs only
   * @param maxBytes the largest output value, in bytes
   * @throws PermanentException when the bytes are not well-formed OTLP
   */
  public static Result split(Signal signal, byte[] data, KeyBy keyBy, int maxBytes) {
    return split(signal, data, keyBy, maxBytes, false);
  }

  /**
   * As {@link #split(Signal, byte[], KeyBy, int)}; with {@code emitOversized}, an item too large on
   * its own is still emitted as a part of its own (and counted), for a caller that re-encodes parts
   * and judges their size itself.
   */
  public static Result split(
      Signal signal, byte[] data, KeyBy keyBy, int maxBytes, boolean emitOversized) {
    Objects.requireNonNull(data, "data");
    if (keyBy == KeyBy.TRACE_ID && signal == Signal.METRICS) {
      throw new IllegalArgumentException("metrics have no trace id");
    }
    if (keyBy == KeyBy.NONE && data.length <= maxBytes) {
      return new Result(List.of(new Part(null, data)), 0, 0);
    }
    try {
      Walk w =
          new Walk(data, keyBy == KeyBy.TRACE_ID ? (signal == Signal.TRACES ? 1 : 9) : 0, keyBy);
      w.walk();
      return w.pack(maxBytes, emitOversized);
    } catch (IndexOutOfBoundsException | IllegalStateException e) {
      throw new PermanentException("malformed OTLP " + signal + " protobuf: " + e.getMessage(), e);
    }
  }

  /** Growable int array. */
  private static final class Ints {
    int[] a = new int[16];
    int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }
  }

  /**
   * The parse of one request: resource and scope headers and item ranges, all as offsets into the
   * data.
   */
  private static final class Walk {
    final byte[] b;
    final int keyField;
    final KeyBy keyBy;
    // header ranges (start, end pairs) of every non-scope field of each resource, and of every
    // non-item field of
    // each scope; *HdrFrom[i] indexes the first pair of entry i, *HdrLen[i] its total length
    final Ints rsHdr = new Ints();
    final Ints ssHdr = new Ints();
    final Ints rsHdrFrom = new Ints();
    final Ints rsHdrTo = new Ints();
    final Ints rsHdrLen = new Ints();
    final Ints rsResStart = new Ints();
    final Ints rsResEnd = new Ints();
    final Ints ssRs = new Ints();
    final Ints ssHdrFrom = new Ints();
    final Ints ssHdrTo = new Ints();
    final Ints ssHdrLen = new Ints();
    final Ints itSs = new Ints();
    final Ints itStart = new Ints();
    final Ints itEnd = new Ints();
    final Ints itGroup = new Ints();
    final List<byte[]> groupKeys = new ArrayList<>();
    final TraceGroups byTrace = new TraceGroups();
    int noKeyGroup = -1;
    // spans of a trace usually come together: compare with the previous item's trace id before
    // hashing
    int lastIdStart = -1;
    int lastIdGroup = -1;

    Walk(byte[] b, int keyField, KeyBy keyBy) {
      this.b = b;
      this.keyField = keyField;
      this.keyBy = keyBy;
    }

    void walk() {
      int pos = 0;
      int end = b.length;
      while (pos < end) {
        long tag = WireFormat.readVarint(b, pos, end);
        int valueStart = WireFormat.varintEnd(b, pos, end);
        int wt = (int) (tag & 7);
        if (tag >>> 3 == 1 && wt == WireFormat.WT_LEN) {
          long len = WireFormat.readVarint(b, valueStart, end);
          int s = WireFormat.varintEnd(b, valueStart, end);
          int e = checkedEnd(s, len, end);
          resource(s, e);
          pos = e;
        } else {
          pos =
              WireFormat.skip(
                  b, valueStart, end, wt); // unknown top-level fields are not carried over
        }
      }
    }

    private void resource(int start, int end) {
      int rs = rsHdrLen.n;
      rsHdrFrom.add(rsHdr.n);
      int hdrLen = 0;
      int resStart = -1;
      int resEnd = -1;
      int pos = start;
      while (pos < end) {
        int fieldStart = pos;
        long tag = WireFormat.readVarint(b, pos, end);
        int valueStart = WireFormat.varintEnd(b, pos, end);
        int wt = (int) (tag & 7);
        if (tag >>> 3 == 2 && wt == WireFormat.WT_LEN) {
          long len = WireFormat.readVarint(b, valueStart, end);
          int s = WireFormat.varintEnd(b, valueStart, end);
          int e = checkedEnd(s, len, end);
          scope(rs, s, e);
          pos = e;
        } else {
          pos = WireFormat.skip(b, valueStart, end, wt);
          if (tag >>> 3 == 1 && wt == WireFormat.WT_LEN) {
            long len = WireFormat.readVarint(b, valueStart, end);
            resStart = WireFormat.varintEnd(b, valueStart, end);
            resEnd = checkedEnd(resStart, len, end);
          }
          rsHdr.add(fieldStart);
          rsHdr.add(pos);
          hdrLen += pos - fieldStart;
        }
      }
      rsHdrTo.add(rsHdr.n);
      rsHdrLen.add(hdrLen);
      rsResStart.add(resStart);
      rsResEnd.add(resEnd);
    }

    private void scope(int rs, int start, int end) {
      int ss = ssHdrLen.n;
      ssRs.add(rs);
      ssHdrFrom.add(ssHdr.n);
      int hdrLen = 0;
      int pos = start;
      int group = keyBy == KeyBy.RESOURCE ? rs : keyBy == KeyBy.NONE ? 0 : -1;
      while (pos < end) {
        int fieldStart = pos;
        long tag = WireFormat.readVarint(b, pos, end);
        int valueStart = WireFormat.varintEnd(b, pos, end);
        int wt = (int) (tag & 7);
        if (tag >>> 3 == 2 && wt == WireFormat.WT_LEN) {
          long len = WireFormat.readVarint(b, valueStart, end);
          int s = WireFormat.varintEnd(b, valueStart, end);
          int e = checkedEnd(s, len, end);
          itSs.add(ss);
          itStart.add(fieldStart);
          itEnd.add(e);
          itGroup.add(keyField != 0 ? traceGroup(s, e) : group);
          pos = e;
        } else {
          pos = WireFormat.skip(b, valueStart, end, wt);
          ssHdr.add(fieldStart);
          ssHdr.add(pos);
          hdrLen += pos - fieldStart;
        }
      }
      ssHdrTo.add(ssHdr.n);
      ssHdrLen.add(hdrLen);
    }

    /**
     * The group of an item by its trace id (field {@code keyField}); items without one share the
     * unkeyed group.
     */
    private int traceGroup(int start, int end) {
      int pos = start;
      while (pos < end) {
        long tag = WireFormat.readVarint(b, pos, end);
        int valueStart = WireFormat.varintEnd(b, pos, end);
        int wt = (int) (tag & 7);
        if (tag >>> 3 == keyField && wt == WireFormat.WT_LEN) {
          long len = WireFormat.readVarint(b, valueStart, end);
          int s = WireFormat.varintEnd(b, valueStart, end);
          int e = checkedEnd(s, len, end);
          if (len == 16
              && lastIdStart >= 0
              && Arrays.equals(b, s, s + 16, b, lastIdStart, lastIdStart + 16)) {
            return lastIdGroup;
          }
          if (len == 16 && !allZero(s)) {
            long hi = readLong(s);
            long lo = readLong(s + 8);
            int g = byTrace.get(hi, lo);
            if (g < 0) {
              g = groupKeys.size();
              groupKeys.add(hex(s));
              byTrace.put(hi, lo, g);
            }
            lastIdStart = s;
            lastIdGroup = g;
            return g;
          }
          pos = e;
        } else {
          pos = WireFormat.skip(b, valueStart, end, wt);
        }
      }
      if (noKeyGroup < 0) {
        noKeyGroup = groupKeys.size();
        groupKeys.add(null);
      }
      return noKeyGroup;
    }

    private boolean allZero(int s) {
      for (int i = s; i < s + 16; i++) {
        if (b[i] != 0) {
          return false;
        }
      }
      return true;
    }

    private long readLong(int s) {
      long v = 0;
      for (int i = s; i < s + 8; i++) {
        v = (v << 8) | (b[i] & 0xff);
      }
      return v;
    }

    private byte[] hex(int s) {
      byte[] out = new byte[32];
      for (int i = 0; i < 16; i++) {
        int v = b[s + i] & 0xff;
        out[2 * i] = HEX[v >>> 4];
        out[2 * i + 1] = HEX[v & 15];
      }
      return out;
    }

    Result pack(int maxBytes, boolean emitOversized) {
      int groups =
          switch (keyBy) {
            case NONE -> 1;
            case RESOURCE -> rsHdrLen.n;
            case TRACE_ID -> groupKeys.size();
          };
      // items of each group in request order (counting sort by group)
      int[] count = new int[groups + 1];
      for (int i = 0; i < itGroup.n; i++) {
        count[itGroup.get(i) + 1]++;
      }
      for (int g = 0; g < groups; g++) {
        count[g + 1] += count[g];
      }
      int[] order = new int[itGroup.n];
      int[] fill = Arrays.copyOf(count, groups);
      for (int i = 0; i < itGroup.n; i++) {
        order[fill[itGroup.get(i)]++] = i;
      }
      List<Part> parts = new ArrayList<>();
      int oversized = 0;
      int largest = 0;
      for (int g = 0; g < groups; g++) {
        int from = count[g];
        int to = count[g + 1];
        if (from == to) {
          continue;
        }
        byte[] key =
            switch (keyBy) {
              case NONE -> null;
              case RESOURCE -> resourceKey(g);
              case TRACE_ID -> groupKeys.get(g);
            };
        // greedy: extend the open chunk while its framed size stays within maxBytes (sizes kept
        // incrementally)
        int chunkStart = from;
        int total = 0;
        int rsBody = 0;
        int ssBody = 0;
        int curRs = -1;
        int curSs = -1;
        int k = from;
        while (k < to) {
          int it = order[k];
          int ss = itSs.get(it);
          int rs = ssRs.get(ss);
          int len = itEnd.get(it) - itStart.get(it);
          int tTotal = total;
          int tRs;
          int tSs;
          if (rs != curRs) {
            tTotal += curRs >= 0 ? frame(rsBody + frame(ssBody)) : 0;
            tRs = rsHdrLen.get(rs);
            tSs = ssHdrLen.get(ss) + len;
          } else if (ss != curSs) {
            tRs = rsBody + frame(ssBody);
            tSs = ssHdrLen.get(ss) + len;
          } else {
            tRs = rsBody;
            tSs = ssBody + len;
          }
          long size = (long) tTotal + frame(tRs + frame(tSs));
          if (size <= maxBytes) {
            total = tTotal;
            rsBody = tRs;
            ssBody = tSs;
            curRs = rs;
            curSs = ss;
            k++;
            continue;
          }
          if (k == chunkStart) { // this item alone is too large: drop it, counted
            oversized++;
            largest = (int) Math.max(largest, size);
            if (emitOversized) {
              parts.add(new Part(key, write(order, k, k + 1, (int) size)));
            }
            chunkStart = ++k;
            continue;
          }
          parts.add(
              new Part(key, write(order, chunkStart, k, total + frame(rsBody + frame(ssBody)))));
          chunkStart = k;
          total = 0;
          curRs = -1;
          curSs = -1;
        }
        if (chunkStart < to) {
          parts.add(
              new Part(key, write(order, chunkStart, to, total + frame(rsBody + frame(ssBody)))));
        }
      }
      return new Result(parts, oversized, largest);
    }

    private byte[] write(int[] order, int from, int to, int size) {
      byte[] out = new byte[size];
      int pos = 0;
      int k = from;
      while (k < to) {
        int rs = ssRs.get(itSs.get(order[k]));
        int rsEnd = k;
        int rsBody = rsHdrLen.get(rs);
        while (rsEnd < to && ssRs.get(itSs.get(order[rsEnd])) == rs) {
          int ss = itSs.get(order[rsEnd]);
          int ssBody = ssHdrLen.get(ss);
          while (rsEnd < to && itSs.get(order[rsEnd]) == ss) {
            ssBody += itEnd.get(order[rsEnd]) - itStart.get(order[rsEnd]);
            rsEnd++;
          }
          rsBody += frame(ssBody);
        }
        out[pos++] = TAG_FIELD1_LEN;
        pos = writeVarint(out, pos, rsBody);
        pos = copyRanges(rsHdr, out, pos, rsHdrFrom.get(rs), rsHdrTo.get(rs));
        while (k < rsEnd) {
          int ss = itSs.get(order[k]);
          int ssEnd = k;
          int ssBody = ssHdrLen.get(ss);
          while (ssEnd < rsEnd && itSs.get(order[ssEnd]) == ss) {
            ssBody += itEnd.get(order[ssEnd]) - itStart.get(order[ssEnd]);
            ssEnd++;
          }
          out[pos++] = TAG_FIELD2_LEN;
          pos = writeVarint(out, pos, ssBody);
          pos = copyRanges(ssHdr, out, pos, ssHdrFrom.get(ss), ssHdrTo.get(ss));
          while (k < ssEnd) {
            // items that lie back to back in the request (a trace's spans usually do) are copied in
            // one go
            int it = order[k];
            int runStart = itStart.get(it);
            int runEnd = itEnd.get(it);
            for (k++; k < ssEnd && itStart.get(order[k]) == runEnd; k++) {
              runEnd = itEnd.get(order[k]);
            }
            System.arraycopy(b, runStart, out, pos, runEnd - runStart);
            pos += runEnd - runStart;
          }
        }
      }
      if (pos != out.length) {
        throw new IllegalStateException("split size mismatch: wrote " + pos + " of " + out.length);
      }
      return out;
    }

    private int copyRanges(Ints hdr, byte[] out, int pos, int fromPair, int toPair) {
      for (int h = fromPair; h < toPair; h += 2) {
        int s = hdr.get(h);
        int len = hdr.get(h + 1) - s;
        System.arraycopy(b, s, out, pos, len);
        pos += len;
      }
      return pos;
    }

    private byte[] resourceKey(int rs) {
      int s = rsResStart.get(rs);
      Resource r;
      try {
        r =
            s < 0
                ? Resource.getDefaultInstance()
                : Resource.parseFrom(java.nio.ByteBuffer.wrap(b, s, rsResEnd.get(rs) - s));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException("malformed resource: " + e.getMessage(), e);
      }
      return resourceHash(r);
    }
  }

  /**
   * The string value of resource attribute {@code key} in the first resource that has it, or null.
   * Parses only the resources, never the items.
   *
   * @throws PermanentException when the bytes are not well-formed OTLP
   */
  public static String firstResourceAttribute(byte[] data, String key) {
    try {
      int pos = 0;
      while (pos < data.length) {
        long tag = WireFormat.readVarint(data, pos, data.length);
        int vs = WireFormat.varintEnd(data, pos, data.length);
        int wt = (int) (tag & 7);
        int next = WireFormat.skip(data, vs, data.length, wt);
        if (tag >>> 3 == 1 && wt == WireFormat.WT_LEN) {
          int s = WireFormat.varintEnd(data, vs, data.length);
          int p = s;
          while (p < next) {
            long t = WireFormat.readVarint(data, p, next);
            int v = WireFormat.varintEnd(data, p, next);
            int w = (int) (t & 7);
            int n = WireFormat.skip(data, v, next, w);
            if (t >>> 3 == 1 && w == WireFormat.WT_LEN) {
              int rs = WireFormat.varintEnd(data, v, next);
              Resource r = Resource.parseFrom(java.nio.ByteBuffer.wrap(data, rs, n - rs));
              for (KeyValue kv : r.getAttributesList()) {
                if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
                  return kv.getValue().getStringValue();
                }
              }
            }
            p = n;
          }
        }
        pos = next;
      }
      return null;
    } catch (IndexOutOfBoundsException
        | IllegalStateException
        | com.google.protobuf.InvalidProtocolBufferException e) {
      throw new PermanentException("malformed OTLP protobuf: " + e.getMessage(), e);
    }
  }

  /**
   * The key of a resource: the OpenTelemetry Collector's hash of its attributes (see {@link
   * ResourceKey}), so equal attribute sets give equal keys whatever their order, and the same keys
   * as the collector's exporter.
   */
  public static byte[] resourceHash(Resource r) {
    return ResourceKey.of(r.getAttributesList());
  }

  /**
   * Trace id (two longs) to group number, open addressing with linear probing: no object per trace
   * or per lookup (a {@code HashMap} of id records cost an id, a boxed group and a node per trace,
   * and record equality).
   */
  static final class TraceGroups {
    private long[] his = new long[64];
    private long[] los = new long[64];
    private int[] groups = new int[64]; // group + 1; 0 = empty slot
    private int size;

    /** The group of {@code (hi, lo)}, or -1. */
    int get(long hi, long lo) {
      int mask = groups.length - 1;
      for (int i = slot(hi, lo) & mask; ; i = (i + 1) & mask) {
        int g = groups[i];
        if (g == 0) {
          return -1;
        }
        if (his[i] == hi && los[i] == lo) {
          return g - 1;
        }
      }
    }

    /** Adds {@code (hi, lo)}, which is not present, as {@code group}. */
    void put(long hi, long lo, int group) {
      if (2 * (size + 1) > groups.length) {
        grow();
      }
      insert(hi, lo, group + 1);
      size++;
    }

    private void insert(long hi, long lo, int groupPlusOne) {
      int mask = groups.length - 1;
      int i = slot(hi, lo) & mask;
      while (groups[i] != 0) {
        i = (i + 1) & mask;
      }
      his[i] = hi;
      los[i] = lo;
      groups[i] = groupPlusOne;
    }

    private void grow() {
      long[] oh = his;
      long[] ol = los;
      int[] og = groups;
      his = new long[og.length * 2];
      los = new long[og.length * 2];
      groups = new int[og.length * 2];
      for (int i = 0; i < og.length; i++) {
        if (og[i] != 0) {
          insert(oh[i], ol[i], og[i]);
        }
      }
    }

    private static int slot(long hi, long lo) {
      long h =
          (hi ^ Long.rotateLeft(lo, 32))
              * 0x9E3779B97F4A7C15L; // trace ids are random: mix, take high bits
      return (int) (h >>> 32);
    }
  }

  private static int frame(int body) {
    return 1 + varintSize(body) + body;
  }

  static int varintSize(int v) {
    if ((v & ~0x7f) == 0) {
      return 1;
    }
    if ((v & ~0x3fff) == 0) {
      return 2;
    }
    if ((v & ~0x1fffff) == 0) {
      return 3;
    }
    if ((v & ~0xfffffff) == 0) {
      return 4;
    }
    return 5;
  }

  private static int writeVarint(byte[] out, int pos, int v) {
    while ((v & ~0x7f) != 0) {
      out[pos++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
    return pos;
  }

  private static int checkedEnd(int pos, long len, int end) {
    if (len < 0 || len > end - pos) {
      throw new IllegalStateException("length " + len + " exceeds the enclosing message");
    }
    return pos + (int) len;
  }
}
