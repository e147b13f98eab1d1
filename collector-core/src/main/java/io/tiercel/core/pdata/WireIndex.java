package io.tiercel.core.pdata;

import java.util.Arrays;

/**
 * Where the resources, scopes and items of a serialized {@code *Data} message lie, found in one
 * walk that also checks every byte as protobuf-java's parser would ({@link WireCheck}). The shape
 * is the one traces and logs share: {@code Data.1 -> Resource*.2 -> Scope*.2 -> item}. Immutable
 * once built; the entry positions are those of the field tags, so an entry is copied as the byte
 * range {@code [tag, end)}.
 */
final class WireIndex {
  /** The tag of a length-delimited field 1 (a {@code resource_*} entry of {@code *Data}). */
  static final int TAG_1_LEN = 1 << 3 | WireFormat.WT_LEN;

  /** The tag of a length-delimited field 2 (scope entries, item entries). */
  static final int TAG_2_LEN = 2 << 3 | WireFormat.WT_LEN;

  final byte[] b;
  final int end;
  int resources;
  int[] rTag = new int[4];
  int[] rStart = new int[4];
  int[] rEnd = new int[4];
  int[] rFirstScope = new int[5];
  int scopes;
  int[] sTag = new int[4];
  int[] sStart = new int[4];
  int[] sEnd = new int[4];
  int[] sResource = new int[4];
  int[] sFirstItem = new int[5];
  int items;
  int[] iTag = new int[16];
  int[] iStart = new int[16];
  int[] iEnd = new int[16];
  int[] iScope = new int[16];

  private WireIndex(byte[] b, int end) {
    this.b = b;
    this.end = end;
  }

  /**
   * Indexes {@code b} against the schemas of the data message, its resource entry, its scope entry
   * and its item.
   *
   * @throws IllegalStateException when the bytes are not what protobuf-java would parse
   */
  static WireIndex build(
      byte[] b, WireCheck.Schema data, WireCheck.Schema resource, WireCheck.Schema scope) {
    WireIndex ix = new WireIndex(b, b.length);
    WireCheck.Schema item = scope.sub(2);
    int pos = 0;
    while (pos < b.length) {
      int tagAt = pos;
      int tag = (int) WireFormat.readVarint(b, pos, b.length);
      pos = WireFormat.varintEnd(b, pos, b.length);
      if (tag == TAG_1_LEN) {
        int len = WireCheck.length(b, pos, b.length);
        pos = WireFormat.varintEnd(b, pos, b.length);
        ix.resource(tagAt, pos, pos + len, resource, scope, item);
        pos += len;
      } else {
        pos = WireCheck.field(data, tag, b, pos, b.length, 0);
      }
    }
    ix.rFirstScope = grow(ix.rFirstScope, ix.resources + 1);
    ix.rFirstScope[ix.resources] = ix.scopes;
    ix.sFirstItem = grow(ix.sFirstItem, ix.scopes + 1);
    ix.sFirstItem[ix.scopes] = ix.items;
    return ix;
  }

  private void resource(
      int tagAt,
      int start,
      int stop,
      WireCheck.Schema resource,
      WireCheck.Schema scope,
      WireCheck.Schema item) {
    int r = resources++;
    rTag = grow(rTag, r + 1);
    rStart = grow(rStart, r + 1);
    rEnd = grow(rEnd, r + 1);
    rFirstScope = grow(rFirstScope, r + 2);
    rTag[r] = tagAt;
    rStart[r] = start;
    rEnd[r] = stop;
    rFirstScope[r] = scopes;
    int pos = start;
    while (pos < stop) {
      int at = pos;
      int tag = (int) WireFormat.readVarint(b, pos, stop);
      pos = WireFormat.varintEnd(b, pos, stop);
      if (tag == TAG_2_LEN) {
        int len = WireCheck.length(b, pos, stop);
        pos = WireFormat.varintEnd(b, pos, stop);
        scope(r, at, pos, pos + len, scope, item);
        pos += len;
      } else {
        pos = WireCheck.field(resource, tag, b, pos, stop, 1);
      }
    }
  }

  private void scope(
      int r, int tagAt, int start, int stop, WireCheck.Schema scope, WireCheck.Schema item) {
    int s = scopes++;
    sTag = grow(sTag, s + 1);
    sStart = grow(sStart, s + 1);
    sEnd = grow(sEnd, s + 1);
    sResource = grow(sResource, s + 1);
    sFirstItem = grow(sFirstItem, s + 2);
    sTag[s] = tagAt;
    sStart[s] = start;
    sEnd[s] = stop;
    sResource[s] = r;
    sFirstItem[s] = items;
    int pos = start;
    while (pos < stop) {
      int at = pos;
      int tag = (int) WireFormat.readVarint(b, pos, stop);
      pos = WireFormat.varintEnd(b, pos, stop);
      if (tag == TAG_2_LEN) {
        int len = WireCheck.length(b, pos, stop);
        pos = WireFormat.varintEnd(b, pos, stop);
        WireCheck.message(item, b, pos, pos + len, 3);
        int i = items++;
        if (i == iTag.length) {
          int n = i * 2;
          iTag = Arrays.copyOf(iTag, n);
          iStart = Arrays.copyOf(iStart, n);
          iEnd = Arrays.copyOf(iEnd, n);
          iScope = Arrays.copyOf(iScope, n);
        }
        iTag[i] = at;
        iStart[i] = pos;
        iEnd[i] = pos + len;
        iScope[i] = s;
        pos += len;
      } else {
        pos = WireCheck.field(scope, tag, b, pos, stop, 2);
      }
    }
  }

  private static int[] grow(int[] a, int need) {
    return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
  }

  // ------------------------------------------------------------------ reads within a range

  /**
   * The position of the value of the last field with tag {@code tag} in the message {@code [pos,
   * end)} (for a length-delimited field, the position of its length), or -1. The last occurrence is
   * what protobuf keeps for a scalar field.
   */
  static int last(byte[] b, int pos, int end, int tag) {
    int found = -1;
    while (pos < end) {
      int t = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      if (t == tag) {
        found = pos;
      }
      pos = skipValue(b, pos, end, t);
    }
    return found;
  }

  /**
   * Like {@link #last} for a field of a sub-message: protobuf merges repeated occurrences of a
   * message field, so the last {@code inner} across all {@code outer} occurrences wins.
   */
  static int lastNested(byte[] b, int pos, int end, int outer, int inner) {
    int found = -1;
    while (pos < end) {
      int t = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int next = skipValue(b, pos, end, t);
      if (t == outer) {
        int in = last(b, WireFormat.varintEnd(b, pos, end), next, inner);
        if (in >= 0) {
          found = in;
        }
      }
      pos = next;
    }
    return found;
  }

  /** The position after the value of a field with tag {@code t}, which starts at {@code pos}. */
  static int skipValue(byte[] b, int pos, int end, int t) {
    int wt = t & 7;
    if (wt == 3) {
      // an unknown group, already checked: skip to its end tag
      while (true) {
        int inner = (int) WireFormat.readVarint(b, pos, end);
        pos = WireFormat.varintEnd(b, pos, end);
        if ((inner & 7) == 4) {
          return pos;
        }
        pos = skipValue(b, pos, end, inner);
      }
    }
    return wt == WireFormat.WT_VARINT
        ? WireCheck.varint64End(b, pos, end)
        : WireFormat.skip(b, pos, end, wt);
  }

  /** Start of the content of the length-delimited value whose length is at {@code pos}. */
  static int contentStart(byte[] b, int pos) {
    return WireFormat.varintEnd(b, pos, b.length);
  }

  /** End of the content of the length-delimited value whose length is at {@code pos}. */
  static int contentEnd(byte[] b, int pos) {
    return contentStart(b, pos) + (int) WireFormat.readVarint(b, pos, b.length);
  }

  static long fixed64(byte[] b, int pos) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[pos + i] & 0xffL);
    }
    return v;
  }

  static int fixed32(byte[] b, int pos) {
    int v = 0;
    for (int i = 3; i >= 0; i--) {
      v = v << 8 | (b[pos + i] & 0xff);
    }
    return v;
  }
}
