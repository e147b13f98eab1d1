package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The buffered spans of one trace as policies see them. The processor's traces are backed by their
 * summary ({@link TraceSummary}, filled as spans arrived from the wire): span count, size, time
 * range, status codes, the sampled flag and the registered span tests are answered without a parse,
 * and the spans themselves ({@link #fragments}, {@link #anySpan(Predicate)}) are parsed from their
 * buffered slices only when a policy asks for them ({@code ottl_condition}, a span test with no
 * bit). A trace made from parsed fragments ({@link #of}) answers everything from them, which is the
 * reference the summary is tested against. Not thread-safe (the engine evaluates one trace at a
 * time).
 */
public final class TraceView {
  private final ByteString traceId;
  private final @Nullable TraceSummary summary;
  private final @Nullable SpanTests tests;
  private final @Nullable SpanSlices slices;
  private @Nullable List<ResourceSpans> fragments;
  private final int spanCount;

  private TraceView(
      ByteString traceId,
      @Nullable TraceSummary summary,
      @Nullable SpanTests tests,
      @Nullable SpanSlices slices,
      @Nullable List<ResourceSpans> fragments,
      int spanCount) {
    this.traceId = Objects.requireNonNull(traceId, "traceId");
    this.summary = summary;
    this.tests = tests;
    this.slices = slices;
    this.fragments = fragments;
    this.spanCount = spanCount;
  }

  /** A trace from parsed fragments (each one resource with scopes holding this trace's spans). */
  public static TraceView of(ByteString traceId, List<ResourceSpans> fragments) {
    int n = 0;
    for (ResourceSpans rs : fragments) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return new TraceView(traceId, null, null, null, List.copyOf(fragments), n);
  }

  /** A buffered trace: its summary answers, its slices are parsed only when asked for. */
  static TraceView of(ByteString traceId, TraceSummary summary, SpanTests tests, SpanSlices spans) {
    return new TraceView(traceId, summary, tests, spans, null, summary.spans);
  }

  /** The 16-byte trace id. */
  public ByteString traceId() {
    return traceId;
  }

  /** How many spans the trace holds. */
  public int spanCount() {
    return spanCount;
  }

  /** The spans, framed by their resource and scope (parsed on first call for a buffered trace). */
  public List<ResourceSpans> fragments() {
    List<ResourceSpans> f = fragments;
    if (f == null) {
      f = Objects.requireNonNull(slices).parse();
      fragments = f;
    }
    return f;
  }

  /**
   * The protobuf size of the trace as one {@code TracesData} holding its fragments: what the
   * collector measures ({@code ProtoMarshaler.TracesSize} of the buffered batches) for {@code
   * bytes_limiting}.
   */
  public long serializedSize() {
    if (summary != null) {
      return summary.sizeBytes;
    }
    long n = 0;
    for (ResourceSpans rs : fragments()) {
      n += fieldSize(rs.getSerializedSize());
    }
    return n;
  }

  /**
   * The bytes one length-delimited field with a one-byte tag and {@code size} bytes of content
   * takes.
   */
  static long fieldSize(int size) {
    return 1L + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }

  /** The earliest start time of a span, in Unix nanoseconds; Long.MAX_VALUE without spans. */
  long minStart() {
    if (summary != null) {
      return summary.minStart;
    }
    long[] min = {Long.MAX_VALUE};
    forEachSpan(r -> min[0] = Math.min(min[0], r.span().getStartTimeUnixNano()));
    return min[0];
  }

  /** The latest end time of a span, in Unix nanoseconds; Long.MIN_VALUE without spans. */
  long maxEnd() {
    if (summary != null) {
      return summary.maxEnd;
    }
    long[] max = {Long.MIN_VALUE};
    forEachSpan(r -> max[0] = Math.max(max[0], r.span().getEndTimeUnixNano()));
    return max[0];
  }

  /** Whether a span has one of the status codes in {@code mask} (bit 1 << code number). */
  boolean anyStatus(int mask) {
    if (summary != null) {
      return (summary.statuses & mask) != 0;
    }
    return anySpan(
        r -> {
          Status.StatusCode c = r.span().getStatus().getCode();
          return c != Status.StatusCode.UNRECOGNIZED && (mask & 1 << c.getNumber()) != 0;
        });
  }

  /** Whether a span carries the W3C sampled flag. */
  boolean anySampledFlag() {
    if (summary != null) {
      return summary.sampledFlag;
    }
    return anySpan(r -> (r.span().getFlags() & PolicyEvaluators.SAMPLED_FLAG) != 0);
  }

  /** Whether a span (with its resource) passes {@code test}: its summary bit when it has one. */
  boolean anySpan(SpanTest test) {
    int bit = test.bitIn(tests);
    if (summary != null && bit >= 0) {
      return (summary.matched & 1L << bit) != 0;
    }
    return anySpan(r -> test.test(r.resource(), r.span()));
  }

  /** One span with its resource and scope. */
  public record SpanRef(ResourceSpans resource, ScopeSpans scope, Span span) {}

  /** Calls {@code action} for every span, in order. */
  public void forEachSpan(Consumer<SpanRef> action) {
    for (ResourceSpans rs : fragments()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          action.accept(new SpanRef(rs, ss, s));
        }
      }
    }
  }

  /** Whether any span satisfies {@code test}. */
  public boolean anySpan(Predicate<SpanRef> test) {
    for (ResourceSpans rs : fragments()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          if (test.test(new SpanRef(rs, ss, s))) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
