package io.tiercel.processors.tailsampling;

import io.tiercel.core.pdata.WireFormat;
import io.tiercel.core.pdata.WireRanges;
import java.util.Arrays;

/**
 * The resource and scope a buffered span came in: ranges of the incoming request's bytes (the
 * {@code ResourceSpans} and {@code ScopeSpans} contents), shared by every span of that scope, so
 * nothing of the envelope is copied while the span waits. Its head (the entry without its list of
 * scopes or spans) is what released spans are grouped by.
 */
final class Envelope {
  /** The tag of a length-delimited field 2 (scope entries of a resource, spans of a scope). */
  static final int TAG_2_LEN = 2 << 3 | 2;

  final byte[] src;
  final int resourceStart;
  final int resourceEnd;
  final int scopeStart;
  final int scopeEnd;

  Envelope(byte[] src, int resourceStart, int resourceEnd, int scopeStart, int scopeEnd) {
    this.src = src;
    this.resourceStart = resourceStart;
    this.resourceEnd = resourceEnd;
    this.scopeStart = scopeStart;
    this.scopeEnd = scopeEnd;
  }

  /** The resource's head as bytes: its fields other than the scope entries, in wire order. */
  byte[] resourceHead() {
    return head(src, resourceStart, resourceEnd);
  }

  /** The scope's head as bytes: its fields other than the span entries, in wire order. */
  byte[] scopeHead() {
    return head(src, scopeStart, scopeEnd);
  }

  /** The size of the fields of {@code [start, end)} other than field-2 entries. */
  static int headSize(byte[] b, int start, int end) {
    int n = 0;
    int pos = start;
    while (pos < end) {
      int at = pos;
      int tag = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      pos = WireRanges.skipValue(b, pos, end, tag);
      if (tag != TAG_2_LEN) {
        n += pos - at;
      }
    }
    return n;
  }

  /** The fields of {@code [start, end)} other than field-2 entries, copied. */
  static byte[] head(byte[] b, int start, int end) {
    byte[] out = new byte[headSize(b, start, end)];
    int n = 0;
    int pos = start;
    while (pos < end) {
      int at = pos;
      int tag = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      pos = WireRanges.skipValue(b, pos, end, tag);
      if (tag != TAG_2_LEN) {
        System.arraycopy(b, at, out, n, pos - at);
        n += pos - at;
      }
    }
    return out;
  }

  /** A head's bytes as a map key (compared by content). */
  record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Key[" + bytes.length + " bytes]";
    }
  }
}
