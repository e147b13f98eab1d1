package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import io.tiercel.core.consumer.CompletionGroup;
import io.tiercel.core.consumer.Context;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A buffered, undecided trace, and the forms it takes on its way through the processor: made due
 * early by its root span ({@link Early}), taken out of the buffer to be decided ({@link Due}), and
 * decided ({@link Decided}). Fields marked as guarded are guarded by the processor's lock.
 */
final class PendingTrace {
  final long firstMillis;
  // @GuardedBy("lock") until decided: the metadata common to every batch that brought spans of the
  // trace
  Context ctx;
  // @GuardedBy("lock") until decided: the spans as slices of the requests they came in (held once:
  // no copy, no parse), and what the policies read of them
  final SpanSlices spans;
  final TraceSummary summary;
  final List<CompletionGroup> waiters = new ArrayList<>();
  final long seq; // distinguishes this buffered trace from a later one with the same id
  long dueMillis; // first + decision_wait, or sooner once the root span arrived
  // @GuardedBy("lock"): spans that arrived while the trace was being decided
  @Nullable SpanSlices late;

  PendingTrace(
      long seq,
      long firstMillis,
      long dueMillis,
      Context ctx,
      SpanSlices spans,
      TraceSummary summary) {
    this.spans = spans;
    this.summary = summary;
    this.seq = seq;
    this.firstMillis = firstMillis;
    this.dueMillis = dueMillis;
    this.ctx = ctx;
  }

  /**
   * A trace whose root span made it due at {@code dueMillis}; {@code seq} tells whether the
   * buffered trace under {@code id} is still the same one (without holding on to its spans once it
   * was decided otherwise).
   */
  record Early(long dueMillis, ByteString id, long seq) implements Comparable<Early> {
    @Override
    public int compareTo(Early o) {
      return Long.compare(dueMillis, o.dueMillis);
    }
  }

  /** A trace taken out of the buffer to be decided outside the lock. */
  record Due(ByteString id, PendingTrace pending) {}

  /** A decided trace, delivered outside the lock. */
  record Decided(PendingTrace pending, boolean sampled) {}
}
