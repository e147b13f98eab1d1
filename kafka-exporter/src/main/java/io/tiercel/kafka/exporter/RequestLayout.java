package io.tiercel.kafka.exporter;

import io.opentelemetry.proto.resource.v1.Resource;
import io.tiercel.core.pdata.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The layout of one serialized request for {@link WireSplitter}: the resource and scope headers and
 * the item ranges, all as offsets into the data, grouped by key; {@link #pack} then copies each
 * group's items into framed parts of at most a given size. One instance per split, not thread-safe.
 */
final class RequestLayout {
  private final byte[] b;
  private final int keyField;
  private final WireSplitter.KeyBy keyBy;
  // header ranges (start, end pairs) of every non-scope field of each resource, and of every
  // non-item field of each scope; *HdrFrom[i] indexes the first pair of entry i, *HdrLen[i] its
  // total length
  private final Ints rsHdr = new Ints();
  private final Ints ssHdr = new Ints();
  private final Ints rsHdrFrom = new Ints();
  private final Ints rsHdrTo = new Ints();
  private final Ints rsHdrLen = new Ints();
  private final Ints rsResStart = new Ints();
  private final Ints rsResEnd = new Ints();
  private final Ints ssRs = new Ints();
  private final Ints ssHdrFrom = new Ints();
  private final Ints ssHdrTo = new Ints();
  private final Ints ssHdrLen = new Ints();
  private final Ints itSs = new Ints();
  private final Ints itStart = new Ints();
  private final Ints itEnd = new Ints();
  private final Ints itGroup = new Ints();
  private final List<byte[]> groupKeys = new ArrayList<>();
  private final TraceGroups byTrace = new TraceGroups();
  private int noKeyGroup = -1;
  // spans of a trace usually come together: compare with the previous item's trace id before
  // hashing
  private int lastIdStart = -1;
  private int lastIdGroup = -1;

  RequestLayout(byte[] b, int keyField, WireSplitter.KeyBy keyBy) {
    this.b = b;
    this.keyField = keyField;
    this.keyBy = keyBy;
  }

  /** Indexes the request: every resource, scope and item, and the group of each item. */
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
    int group =
        keyBy == WireSplitter.KeyBy.RESOURCE ? rs : keyBy == WireSplitter.KeyBy.NONE ? 0 : -1;
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

  /**
   * The parts of the walked request: each group's items in request order, cut into framed values of
   * at most {@code maxBytes}; an item too large alone is counted, and emitted on its own only with
   * {@code emitOversized}.
   */
  WireSplitter.Result pack(int maxBytes, boolean emitOversized) {
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
    List<WireSplitter.Part> parts = new ArrayList<>();
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
            parts.add(new WireSplitter.Part(key, write(order, k, k + 1, (int) size)));
          }
          chunkStart = ++k;
          continue;
        }
        parts.add(
            new WireSplitter.Part(
                key, write(order, chunkStart, k, total + frame(rsBody + frame(ssBody)))));
        chunkStart = k;
        total = 0;
        curRs = -1;
        curSs = -1;
      }
      if (chunkStart < to) {
        parts.add(
            new WireSplitter.Part(
                key, write(order, chunkStart, to, total + frame(rsBody + frame(ssBody)))));
      }
    }
    return new WireSplitter.Result(parts, oversized, largest);
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
    return WireSplitter.resourceHash(r);
  }

  private static final int TAG_FIELD1_LEN = 0x0a;
  private static final int TAG_FIELD2_LEN = 0x12;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static int frame(int body) {
    return 1 + varintSize(body) + body;
  }

  private static int varintSize(int v) {
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
}
