package io.tiercel.processors.ottl.eval;

import org.jspecify.annotations.Nullable;

/** A compiled path: readable and writable. */
public interface Accessor extends Getter {
  /**
   * Writes {@code v}; values of the wrong type for a typed field are ignored, as in the collector.
   */
  void set(CurrentItem c, @Nullable Object v);
}
