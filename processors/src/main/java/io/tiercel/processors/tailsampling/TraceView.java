package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The buffered spans of one trace as policies see them: fragments that each hold one resource, one
 * scope and spans of this trace only. Immutable.
 *
 * @param traceId the 16-byte trace id
 * @param fragments the spans, framed by their resource and scope
 * @param spanCount how many spans the fragments hold
 */
public record TraceView(ByteString traceId, List<ResourceSpans> fragments, int spanCount) {
  public TraceView {
    Objects.requireNonNull(traceId, "traceId");
    fragments = List.copyOf(fragments);
  }

  /** A trace from fragments, counting their spans. */
  public static TraceView of(ByteString traceId, List<ResourceSpans> fragments) {
    int n = 0;
    for (ResourceSpans rs : fragments) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return new TraceView(traceId, fragments, n);
  }

  /**
   * The protobuf size of the trace as one {@code TracesData} holding its fragments: what the
   * collector measures ({@code ProtoMarshaler.TracesSize} of the buffered batches) for {@code
   * bytes_limiting}.
   */
  public long serializedSize() {
    long n = 0;
    for (ResourceSpans rs : fragments) {
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

  /** One span with its resource and scope. */
  public record SpanRef(ResourceSpans resource, ScopeSpans scope, Span span) {}

  /** Calls {@code action} for every span, in order. */
  public void forEachSpan(Consumer<SpanRef> action) {
    for (ResourceSpans rs : fragments) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          action.accept(new SpanRef(rs, ss, s));
        }
      }
    }
  }

  /** Whether any span satisfies {@code test}. */
  public boolean anySpan(java.util.function.Predicate<SpanRef> test) {
    for (ResourceSpans rs : fragments) {
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
