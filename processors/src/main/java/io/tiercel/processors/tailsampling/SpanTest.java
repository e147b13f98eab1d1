package io.tiercel.processors.tailsampling;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tiercel.core.pdata.TracesView;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A question a policy asks of every span of a trace with its resource ("does any span match?"),
 * answerable both from a parsed span and from the wire bytes, so the processor can answer it as
 * spans arrive and keep one bit per question in the trace's summary. Registered with {@link
 * SpanTests}, which gives it its bit.
 */
abstract class SpanTest {
  private @Nullable SpanTests owner;
  private int bit = -1;

  /** Whether the span (with its resource) matches, from the parsed messages. */
  abstract boolean test(ResourceSpans resource, Span span);

  /** Whether resource {@code r}'s own fields match (then every span of it does). */
  abstract boolean testResource(TracesView v, int r);

  /** Whether span {@code i}'s own fields match. */
  abstract boolean testSpan(TracesView v, int i);

  final void register(SpanTests tests, int bit) {
    this.owner = tests;
    this.bit = bit;
  }

  /** This test's bit in the summaries {@code tests} keeps, or -1 when it has none there. */
  final int bitIn(@Nullable SpanTests tests) {
    return owner != null && owner == tests ? bit : -1;
  }

  /**
   * An attribute test, as the collector's attribute policies read attributes: the first resource
   * attribute named {@code key} (pcommon's Map.Get) or the span's first one passes {@code test}.
   */
  static SpanTest attribute(String key, Predicate<AnyValue> test) {
    return new SpanTest() {
      @Override
      boolean test(ResourceSpans resource, Span span) {
        return passes(resource.getResource().getAttributesList(), key, test)
            || passes(span.getAttributesList(), key, test);
      }

      @Override
      boolean testResource(TracesView v, int r) {
        AnyValue value = v.resourceAttribute(r, key);
        return value != null && test.test(value);
      }

      @Override
      boolean testSpan(TracesView v, int i) {
        AnyValue value = v.spanAttribute(i, key);
        return value != null && test.test(value);
      }
    };
  }

  private static boolean passes(List<KeyValue> attrs, String key, Predicate<AnyValue> test) {
    for (KeyValue kv : attrs) {
      if (kv.getKey().equals(key)) {
        return test.test(kv.getValue());
      }
    }
    return false;
  }

  /** {@code trace_state}: the span's W3C trace state holds {@code key} with one of {@code want}. */
  static SpanTest traceState(String key, Set<String> want) {
    return new SpanTest() {
      @Override
      boolean test(ResourceSpans resource, Span span) {
        return matches(span.getTraceState());
      }

      @Override
      boolean testResource(TracesView v, int r) {
        return false;
      }

      @Override
      boolean testSpan(TracesView v, int i) {
        int pos = v.spanField(i, 3 << 3 | 2);
        return matches(pos < 0 ? "" : v.stringAt(pos));
      }

      private boolean matches(String traceState) {
        String value = TraceStates.get(traceState, key);
        return value != null && want.contains(value);
      }
    };
  }
}
