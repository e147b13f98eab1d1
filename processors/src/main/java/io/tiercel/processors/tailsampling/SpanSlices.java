package io.tiercel.processors.tailsampling;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The buffered spans of one trace as slices of the requests they came in (not copies): per span,
 * its envelope and the range of its {@code Span} content. About 12 bytes of heap per span beyond
 * the request bytes, plus the envelope shared by the spans of a scope. Not thread-safe: guarded
 * like the trace that holds it.
 */
final class SpanSlices {
  private Envelope[] envelopes;
  private int[] starts;
  private int[] ends;
  private int n;

  SpanSlices(int capacity) {
    int c = Math.max(1, capacity);
    envelopes = new Envelope[c];
    starts = new int[c];
    ends = new int[c];
  }

  int size() {
    return n;
  }

  void add(Envelope e, int start, int end) {
    if (n == starts.length) {
      int c = n + Math.max(2, n >> 1);
      envelopes = Arrays.copyOf(envelopes, c);
      starts = Arrays.copyOf(starts, c);
      ends = Arrays.copyOf(ends, c);
    }
    envelopes[n] = e;
    starts[n] = start;
    ends[n] = end;
    n++;
  }

  /** The envelope of span {@code i} (whose {@code src} is the request it came in). */
  Envelope envelope(int i) {
    return envelopes[i];
  }

  void addAll(SpanSlices o) {
    for (int i = 0; i < o.n; i++) {
      add(o.envelopes[i], o.starts[i], o.ends[i]);
    }
  }

  /**
   * One serialized {@code TracesData} holding the spans of {@code traces}, grouped by their
   * envelopes' heads as bytes: spans whose resource heads are equal share one {@code
   * ResourceSpans}, and within it spans whose scope heads are equal share one {@code ScopeSpans},
   * in order of first appearance; every span and head is copied as it came, nothing is parsed or
   * re-encoded.
   */
  static byte[] join(List<SpanSlices> traces) {
    Map<Envelope, ScopeGroup> byEnvelope = new IdentityHashMap<>();
    Map<Envelope.Key, ResourceGroup> resources = new LinkedHashMap<>();
    for (SpanSlices t : traces) {
      for (int i = 0; i < t.n; i++) {
        Envelope e = t.envelopes[i];
        ScopeGroup g = byEnvelope.get(e);
        if (g == null) {
          ResourceGroup rg =
              resources.computeIfAbsent(
                  new Envelope.Key(e.resourceHead()), k -> new ResourceGroup(k.bytes()));
          g = rg.scopes.computeIfAbsent(new Envelope.Key(e.scopeHead()), ScopeGroup::new);
          byEnvelope.put(e, g);
        }
        g.spans.add(e, t.starts[i], t.ends[i]);
      }
    }
    long total = 0;
    for (ResourceGroup rg : resources.values()) {
      rg.body = rg.head.length;
      for (ScopeGroup g : rg.scopes.values()) {
        long body = g.head.length;
        SpanSlices s = g.spans;
        for (int i = 0; i < s.n; i++) {
          body += fieldSize(s.ends[i] - s.starts[i]);
        }
        g.body = checked(body);
        rg.body += fieldSize(g.body);
      }
      rg.body = checked(rg.body);
      total += fieldSize((int) rg.body);
    }
    byte[] out = new byte[checked(total)];
    int at = 0;
    for (ResourceGroup rg : resources.values()) {
      at = frame(out, at, 1, (int) rg.body);
      System.arraycopy(rg.head, 0, out, at, rg.head.length);
      at += rg.head.length;
      for (ScopeGroup g : rg.scopes.values()) {
        at = frame(out, at, 2, g.body);
        System.arraycopy(g.head, 0, out, at, g.head.length);
        at += g.head.length;
        SpanSlices s = g.spans;
        for (int i = 0; i < s.n; i++) {
          int len = s.ends[i] - s.starts[i];
          at = frame(out, at, 2, len);
          System.arraycopy(s.envelopes[i].src, s.starts[i], out, at, len);
          at += len;
        }
      }
    }
    return out;
  }

  /**
   * This trace's spans parsed (for the policies that need whole spans), grouped as by {@link
   * #join}.
   */
  List<ResourceSpans> parse() {
    try {
      return TracesData.parseFrom(join(List.of(this))).getResourceSpansList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("spans this processor buffered do not parse", e);
    }
  }

  /** The bytes a length-delimited field with a one-byte tag and {@code size} bytes takes. */
  static int fieldSize(int size) {
    return 1 + varintSize(size) + size;
  }

  private static int varintSize(int v) {
    int size = 1;
    while ((v & ~0x7f) != 0) {
      v >>>= 7;
      size++;
    }
    return size;
  }

  private static int checked(long size) {
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("a released request would exceed 2 GiB (" + size + " bytes)");
    }
    return (int) size;
  }

  private static int frame(byte[] out, int at, int field, int len) {
    out[at++] = (byte) (field << 3 | 2);
    int x = len;
    while ((x & ~0x7f) != 0) {
      out[at++] = (byte) ((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    out[at++] = (byte) x;
    return at;
  }

  private static final class ResourceGroup {
    final byte[] head;
    final Map<Envelope.Key, ScopeGroup> scopes = new LinkedHashMap<>();
    long body;

    ResourceGroup(byte[] head) {
      this.head = head;
    }
  }

  private static final class ScopeGroup {
    final byte[] head;
    final SpanSlices spans = new SpanSlices(8);
    int body;

    ScopeGroup(Envelope.Key k) {
      this.head = k.bytes();
    }
  }
}
