package io.tiercel.processors.tailsampling;

/**
 * What the policies read of a buffered trace, updated as its spans arrive, so deciding needs no
 * parse: span count, protobuf size as the collector counts it, earliest start and latest end, the
 * status codes seen, whether a span carries the W3C sampled flag, and one bit per registered {@link
 * SpanTest} (an attribute value or trace state a policy names). Guarded like its trace.
 */
final class TraceSummary {
  /** Status code bits: 1 << code for UNSET (0), OK (1) and ERROR (2). */
  int statuses;

  int spans;
  long sizeBytes;
  long minStart = Long.MAX_VALUE;
  long maxEnd = Long.MIN_VALUE;
  boolean sampledFlag;
  long matched;
  boolean root;

  /** Adds what another summary of the same trace saw (spans that arrived later). */
  void add(TraceSummary o) {
    statuses |= o.statuses;
    spans += o.spans;
    sizeBytes += o.sizeBytes;
    minStart = Math.min(minStart, o.minStart);
    maxEnd = Math.max(maxEnd, o.maxEnd);
    sampledFlag |= o.sampledFlag;
    matched |= o.matched;
    root |= o.root;
  }

  /** Records one span's fields. */
  void span(long start, long end, int statusCode, int flags) {
    spans++;
    minStart = Math.min(minStart, start);
    maxEnd = Math.max(maxEnd, end);
    if (statusCode >= 0 && statusCode <= 2) {
      statuses |= 1 << statusCode;
    }
    sampledFlag |= (flags & PolicyEvaluators.SAMPLED_FLAG) != 0;
  }
}
