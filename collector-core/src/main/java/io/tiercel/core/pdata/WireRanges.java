package io.tiercel.core.pdata;

/**
 * Where the resources, scopes and spans of an untouched {@link TracesView} lie in its wire bytes,
 * for a consumer that keeps slices of the bytes instead of parsing them (tail_sampling buffers
 * spans as slices of the incoming request). Ranges are the contents of the entries, without their
 * tags and lengths. Only for a view with no edits ({@link TracesView#untouched()}): the ranges are
 * those of the bytes as received.
 */
public final class WireRanges {
  private WireRanges() {}

  /**
   * The bytes the view indexes; not copied: the caller must not modify them.
   *
   * @throws IllegalArgumentException when the view was edited
   */
  public static byte[] bytes(TracesView v) {
    if (!v.untouched()) {
      throw new IllegalArgumentException("the wire ranges of an edited view are not its content");
    }
    return v.ix.b;
  }

  /** Start of resource {@code r}'s {@code ResourceSpans} content. */
  public static int resourceStart(TracesView v, int r) {
    return v.ix.rStart[r];
  }

  /** End (exclusive) of resource {@code r}'s {@code ResourceSpans} content. */
  public static int resourceEnd(TracesView v, int r) {
    return v.ix.rEnd[r];
  }

  /** Start of scope {@code s}'s {@code ScopeSpans} content. */
  public static int scopeStart(TracesView v, int s) {
    return v.ix.sStart[s];
  }

  /** End (exclusive) of scope {@code s}'s {@code ScopeSpans} content. */
  public static int scopeEnd(TracesView v, int s) {
    return v.ix.sEnd[s];
  }

  /** Start of span {@code i}'s {@code Span} content. */
  public static int spanStart(TracesView v, int i) {
    return v.ix.iStart[i];
  }

  /** End (exclusive) of span {@code i}'s {@code Span} content. */
  public static int spanEnd(TracesView v, int i) {
    return v.ix.iEnd[i];
  }

  /**
   * The position after the value of a field with tag {@code tag} whose value starts at {@code pos},
   * in bytes a view has checked (unknown groups included).
   */
  public static int skipValue(byte[] b, int pos, int end, int tag) {
    return WireIndex.skipValue(b, pos, end, tag);
  }
}
