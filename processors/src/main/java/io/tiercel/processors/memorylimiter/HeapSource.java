package io.tiercel.processors.memorylimiter;

/**
 * What the memory limiter reads of the heap: usage now (garbage included) and usage right after the
 * most recent collection (what survived it). {@link JvmHeap} reads the running JVM; tests pass a
 * fake.
 */
interface HeapSource {
  /** Bytes of heap in use now, including garbage not yet collected. */
  long used();

  /**
   * Number of collections seen so far; changes whenever {@link #usedAfterLastCollection()} has a
   * new value.
   */
  long collections();

  /** Bytes of heap in use right after the most recent collection, or -1 when none was seen yet. */
  long usedAfterLastCollection();

  /** Forces a full collection and returns when it is done (as far as the runtime lets us). */
  void gc();

  /** Starts listening for collections; called once from the processor's {@code start}. */
  default void start() {}

  /** Stops listening; idempotent. */
  default void stop() {}
}
