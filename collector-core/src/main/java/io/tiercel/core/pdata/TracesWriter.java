package io.tiercel.core.pdata;

import com.google.protobuf.MessageLite;
import org.jspecify.annotations.Nullable;

/**
 * Serializes an edited {@link TracesView}: sizes first, then one array of exactly that size, where
 * every entry nobody touched is copied as its byte range and only edited spans and heads are
 * encoded (with a one-byte tag; copied entries keep the tags they came with).
 */
final class TracesWriter {
  private final TracesView v;
  private final WireIndex ix;
  private final byte[] b;
  private final byte[][] spanBytes;
  private final byte[][] scopeHeadBytes;
  private final byte[][] resourceHeadBytes;
  private final int[] scopeBody;
  private final int[] resourceBody;
  private final boolean[] scopeOmitted;
  private final boolean[] resourceOmitted;
  private byte[] out = new byte[0];
  private int n;

  private TracesWriter(TracesView v) {
    this.v = v;
    this.ix = v.ix;
    this.b = ix.b;
    spanBytes = new byte[ix.items][];
    scopeHeadBytes = new byte[ix.scopes][];
    resourceHeadBytes = new byte[ix.resources][];
    scopeBody = new int[ix.scopes];
    resourceBody = new int[ix.resources];
    scopeOmitted = new boolean[ix.scopes];
    resourceOmitted = new boolean[ix.resources];
  }

  static byte[] write(TracesView v) {
    TracesWriter w = new TracesWriter(v);
    int size = w.measure();
    w.out = new byte[size];
    w.emit();
    if (w.n != size) {
      throw new IllegalStateException("wrote " + w.n + " bytes, measured " + size);
    }
    return w.out;
  }

  private static @Nullable byte[] encoded(@Nullable Object edit) {
    if (edit instanceof MessageLite m) {
      return m.toByteArray();
    } else if (edit instanceof MessageLite.Builder mb) {
      return mb.build().toByteArray();
    }
    return null;
  }

  private static int entry(int body) {
    return 1 + varintSize(body) + body;
  }

  private static int varintSize(int v) {
    int size = 1;
    while ((v & ~0x7f) != 0) {
      v >>>= 7;
      size++;
    }
    return size;
  }

  // ------------------------------------------------------------------ measure

  private int measure() {
    for (int s = 0; s < ix.scopes; s++) {
      if (v.scopeDirty(s)) {
        measureScope(s);
      }
    }
    int size = 0;
    int r = 0;
    int pos = 0;
    while (pos < ix.end) {
      int at = pos;
      int t = (int) WireFormat.readVarint(b, pos, ix.end);
      pos = WireIndex.skipValue(b, WireFormat.varintEnd(b, pos, ix.end), ix.end, t);
      if (t == WireIndex.TAG_1_LEN) {
        size += resourceSize(r++, pos - at);
      } else if (!v.rebuilt()) {
        size += pos - at;
      }
    }
    return size;
  }

  private void measureScope(int s) {
    Object edit = v.scopeEdit(s);
    if (TracesView.isDropped(edit)) {
      scopeOmitted[s] = true;
      return;
    }
    int body = 0;
    int kept = 0;
    int first = ix.sFirstItem[s];
    int last = ix.sFirstItem[s + 1];
    for (int i = first; i < last; i++) {
      Object e = v.spanEdit(i);
      if (TracesView.isDropped(e)) {
        continue;
      }
      kept++;
      byte[] enc = encoded(e);
      byte[] more = v.appendix(i);
      if (enc != null) {
        spanBytes[i] = enc;
        body += entry(enc.length);
      } else if (more != null) {
        body += entry(ix.iEnd[i] - ix.iStart[i] + more.length);
      } else {
        body += ix.iEnd[i] - ix.iTag[i];
      }
    }
    if (last > first && kept == 0) {
      scopeOmitted[s] = true;
      return;
    }
    byte[] head = encoded(edit);
    scopeHeadBytes[s] = head;
    body += head != null ? head.length : sizeExcept(ix.sStart[s], ix.sEnd[s]);
    scopeBody[s] = body;
  }

  private int resourceSize(int r, int copied) {
    if (!v.resourceDirty(r)) {
      return copied;
    }
    Object edit = v.resourceEdit(r);
    if (TracesView.isDropped(edit)) {
      resourceOmitted[r] = true;
      return 0;
    }
    int body = 0;
    int kept = 0;
    int first = ix.rFirstScope[r];
    int last = ix.rFirstScope[r + 1];
    for (int s = first; s < last; s++) {
      if (scopeOmitted[s]) {
        continue;
      }
      kept++;
      body += v.scopeDirty(s) ? entry(scopeBody[s]) : ix.sEnd[s] - ix.sTag[s];
    }
    if (last > first && kept == 0) {
      resourceOmitted[r] = true;
      return 0;
    }
    byte[] head = encoded(edit);
    resourceHeadBytes[r] = head;
    body += head != null ? head.length : sizeExcept(ix.rStart[r], ix.rEnd[r]);
    resourceBody[r] = body;
    return entry(body);
  }

  /** The size of the fields of {@code [pos, end)} other than length-delimited field 2. */
  private int sizeExcept(int pos, int end) {
    int size = 0;
    while (pos < end) {
      int at = pos;
      int t = (int) WireFormat.readVarint(b, pos, end);
      pos = WireIndex.skipValue(b, WireFormat.varintEnd(b, pos, end), end, t);
      if (t != WireIndex.TAG_2_LEN) {
        size += pos - at;
      }
    }
    return size;
  }

  // ------------------------------------------------------------------ emit

  private void emit() {
    int r = 0;
    int pos = 0;
    while (pos < ix.end) {
      int at = pos;
      int t = (int) WireFormat.readVarint(b, pos, ix.end);
      pos = WireIndex.skipValue(b, WireFormat.varintEnd(b, pos, ix.end), ix.end, t);
      if (t == WireIndex.TAG_1_LEN) {
        emitResource(r++, at, pos);
      } else if (!v.rebuilt()) {
        copy(at, pos);
      }
    }
  }

  private void emitResource(int r, int at, int end) {
    if (!v.resourceDirty(r)) {
      copy(at, end);
      return;
    }
    if (resourceOmitted[r]) {
      return;
    }
    header(WireIndex.TAG_1_LEN, resourceBody[r]);
    byte[] head = resourceHeadBytes[r];
    if (head != null) {
      put(head);
    }
    int s = ix.rFirstScope[r];
    int pos = ix.rStart[r];
    while (pos < ix.rEnd[r]) {
      int fieldAt = pos;
      int t = (int) WireFormat.readVarint(b, pos, ix.rEnd[r]);
      pos = WireIndex.skipValue(b, WireFormat.varintEnd(b, pos, ix.rEnd[r]), ix.rEnd[r], t);
      if (t == WireIndex.TAG_2_LEN) {
        emitScope(s++);
      } else if (head == null) {
        copy(fieldAt, pos);
      }
    }
  }

  private void emitScope(int s) {
    if (!v.scopeDirty(s)) {
      copy(ix.sTag[s], ix.sEnd[s]);
      return;
    }
    if (scopeOmitted[s]) {
      return;
    }
    header(WireIndex.TAG_2_LEN, scopeBody[s]);
    byte[] head = scopeHeadBytes[s];
    if (head != null) {
      put(head);
    }
    int i = ix.sFirstItem[s];
    int pos = ix.sStart[s];
    while (pos < ix.sEnd[s]) {
      int fieldAt = pos;
      int t = (int) WireFormat.readVarint(b, pos, ix.sEnd[s]);
      pos = WireIndex.skipValue(b, WireFormat.varintEnd(b, pos, ix.sEnd[s]), ix.sEnd[s], t);
      if (t == WireIndex.TAG_2_LEN) {
        emitSpan(i++);
      } else if (head == null) {
        copy(fieldAt, pos);
      }
    }
  }

  private void emitSpan(int i) {
    Object e = v.spanEdit(i);
    if (TracesView.isDropped(e)) {
      return;
    }
    byte[] enc = spanBytes[i];
    byte[] more = v.appendix(i);
    if (enc == null && more != null) {
      header(WireIndex.TAG_2_LEN, ix.iEnd[i] - ix.iStart[i] + more.length);
      copy(ix.iStart[i], ix.iEnd[i]);
      put(more);
    } else if (enc == null) {
      copy(ix.iTag[i], ix.iEnd[i]);
    } else {
      header(WireIndex.TAG_2_LEN, enc.length);
      put(enc);
    }
  }

  private void header(int tag, int len) {
    out[n++] = (byte) tag;
    int x = len;
    while ((x & ~0x7f) != 0) {
      out[n++] = (byte) ((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    out[n++] = (byte) x;
  }

  private void put(byte[] a) {
    System.arraycopy(a, 0, out, n, a.length);
    n += a.length;
  }

  private void copy(int from, int to) {
    System.arraycopy(b, from, out, n, to - from);
    n += to - from;
  }
}
