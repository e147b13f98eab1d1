package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.core.pdata.WireFormat;
import io.tiercel.core.pdata.WireRanges;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an incoming request into per-trace arrivals without parsing it: each span becomes a slice
 * of the request's bytes with its envelope ({@link SpanSlices}), and its trace's summary takes what
 * the policies read ({@link TraceSummary}), read from the wire in one walk over the span's fields
 * (plus one lookup per attribute a span test names, while that test has not matched yet).
 */
final class WireSplit {
  private static final int TRACE_ID = 1 << 3 | 2;
  private static final int PARENT_SPAN_ID = 4 << 3 | 2;
  private static final int START = 7 << 3 | 1;
  private static final int END = 8 << 3 | 1;
  private static final int STATUS = 15 << 3 | 2;
  private static final int STATUS_CODE = 3 << 3;
  private static final int FLAGS = 16 << 3 | 5;

  private WireSplit() {}

  /** One trace's spans in one request, and what the policies read of them. */
  static final class Arrival {
    final SpanSlices spans = new SpanSlices(4);
    final TraceSummary summary = new TraceSummary();
    // sizing the per-resource fragment the collector counts, during the walk
    private int scopeMark = -1;
    private long scopeBody;
    private int resourceMark = -1;
    private long resourceBody;
  }

  /**
   * The arrivals of the request {@code v} indexes (an untouched view), by trace id in order of
   * first appearance; {@code tests} are answered for every span.
   */
  static Map<ByteString, Arrival> split(TracesView v, SpanTests tests) {
    byte[] b = WireRanges.bytes(v);
    List<SpanTest> all = tests.all();
    Map<ByteString, Arrival> out = new LinkedHashMap<>();
    List<Arrival> inResource = new ArrayList<>();
    List<Arrival> inScope = new ArrayList<>();
    Arrival prev = null;
    int prevIdStart = 0;
    int prevIdEnd = 0;
    for (int r = 0; r < v.resourceCount(); r++) {
      int firstScope = v.firstScope(r);
      int endScope = v.firstScope(r + 1);
      if (v.firstSpan(firstScope) == v.firstSpan(endScope)) {
        continue; // no spans
      }
      int rStart = WireRanges.resourceStart(v, r);
      int rEnd = WireRanges.resourceEnd(v, r);
      long resourceMatched = 0;
      for (SpanTest t : all) {
        if (t.testResource(v, r)) {
          resourceMatched |= 1L << t.bitIn(tests);
        }
      }
      int rHead = Envelope.headSize(b, rStart, rEnd);
      inResource.clear();
      for (int s = firstScope; s < endScope; s++) {
        int first = v.firstSpan(s);
        int last = v.firstSpan(s + 1);
        if (first == last) {
          continue;
        }
        int sStart = WireRanges.scopeStart(v, s);
        int sEnd = WireRanges.scopeEnd(v, s);
        Envelope env = new Envelope(b, rStart, rEnd, sStart, sEnd);
        int sHead = Envelope.headSize(b, sStart, sEnd);
        inScope.clear();
        for (int i = first; i < last; i++) {
          int start = WireRanges.spanStart(v, i);
          int end = WireRanges.spanEnd(v, i);
          Fields f = fields(b, start, end);
          Arrival a;
          if (prev != null && Arrays.equals(b, f.idStart, f.idEnd, b, prevIdStart, prevIdEnd)) {
            a = prev; // spans of a trace mostly come together
          } else {
            ByteString id =
                f.idEnd == f.idStart
                    ? ByteString.EMPTY
                    : ByteString.copyFrom(b, f.idStart, f.idEnd - f.idStart);
            a = out.computeIfAbsent(id, k -> new Arrival());
            prev = a;
            prevIdStart = f.idStart;
            prevIdEnd = f.idEnd;
          }
          a.spans.add(env, start, end);
          TraceSummary sum = a.summary;
          sum.span(f.start, f.end, f.status, f.flags);
          sum.root |= f.root;
          long matched = sum.matched | resourceMatched;
          for (SpanTest t : all) {
            long bit = 1L << t.bitIn(tests);
            if ((matched & bit) == 0 && t.testSpan(v, i)) {
              matched |= bit;
            }
          }
          sum.matched = matched;
          if (a.scopeMark != s) {
            a.scopeMark = s;
            a.scopeBody = sHead;
            inScope.add(a);
          }
          a.scopeBody += SpanSlices.fieldSize(end - start);
        }
        for (Arrival a : inScope) {
          if (a.resourceMark != r) {
            a.resourceMark = r;
            a.resourceBody = rHead;
            inResource.add(a);
          }
          a.resourceBody += SpanSlices.fieldSize((int) a.scopeBody);
        }
      }
      for (Arrival a : inResource) {
        a.summary.sizeBytes += SpanSlices.fieldSize((int) a.resourceBody);
      }
    }
    return out;
  }

  /** The span fields the summary reads, from one walk over the span's content. */
  private static final class Fields {
    int idStart; // absent: the empty range, as parsing reads an absent id
    int idEnd;
    long start;
    long end;
    int status;
    int flags;
    boolean root = true;
  }

  private static Fields fields(byte[] b, int pos, int end) {
    Fields f = new Fields();
    while (pos < end) {
      int tag = (int) WireFormat.readVarint(b, pos, end);
      pos = WireFormat.varintEnd(b, pos, end);
      int next = WireRanges.skipValue(b, pos, end, tag);
      switch (tag) {
        case TRACE_ID -> {
          f.idStart = WireFormat.varintEnd(b, pos, end);
          f.idEnd = next;
        }
        case PARENT_SPAN_ID -> {
          boolean zero = true;
          for (int k = WireFormat.varintEnd(b, pos, end); k < next && zero; k++) {
            zero = b[k] == 0;
          }
          f.root = zero; // the last occurrence is the value
        }
        case START -> f.start = fixed64(b, pos);
        case END -> f.end = fixed64(b, pos);
        case FLAGS -> f.flags = fixed32(b, pos);
        case STATUS -> {
          // occurrences of a message field merge: the last code across them wins
          int in = WireFormat.varintEnd(b, pos, end);
          while (in < next) {
            int t = (int) WireFormat.readVarint(b, in, next);
            in = WireFormat.varintEnd(b, in, next);
            if (t == STATUS_CODE) {
              f.status = (int) WireFormat.readVarint(b, in, next);
            }
            in = WireRanges.skipValue(b, in, next, t);
          }
        }
        default -> {}
      }
      pos = next;
    }
    return f;
  }

  private static long fixed64(byte[] b, int pos) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[pos + i] & 0xffL);
    }
    return v;
  }

  private static int fixed32(byte[] b, int pos) {
    int v = 0;
    for (int i = 3; i >= 0; i--) {
      v = v << 8 | (b[pos + i] & 0xff);
    }
    return v;
  }
}
