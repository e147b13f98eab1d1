package io.tiercel.processors.tailsampling;

/** What one policy says about a trace (the collector's decision values). */
public enum Decision {
  /** The policy keeps the trace. */
  SAMPLED,
  /** The policy does not keep the trace (another policy still may). */
  NOT_SAMPLED,
  /**
   * An inverted policy did not match: it keeps the trace unless another policy says not sampled.
   */
  INVERTED_SAMPLED,
  /** An inverted policy matched: it vetoes the trace unless a drop policy already dropped it. */
  INVERTED_NOT_SAMPLED,
  /** A drop policy matched: the trace is dropped whatever the other policies say. */
  DROPPED,
  /** The policy failed to evaluate (counted as not sampled). */
  ERROR
}
