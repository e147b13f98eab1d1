package io.tiercel.processors.ottl;

/** A compiled path: readable and writable. */
interface Accessor extends Getter {
  /**
   * Writes {@code v}; values of the wrong type for a typed field are ignored, as in the collector.
   */
  void set(Tctx c, Object v);
}
