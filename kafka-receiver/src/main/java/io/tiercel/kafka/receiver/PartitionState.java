package io.tiercel.kafka.receiver;

import io.tiercel.core.pdata.Signal;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the receiver knows about one assigned partition: the records handed to the pipeline and not finished,
 * in offset order, and the offset that may be committed (the one after the longest finished prefix). Confined
 * to the poll thread; completions from pipeline threads reach it through the receiver's queue.
 *
 * <p>A retryable failure rewinds the partition: every unfinished entry from the failed offset on is cancelled
 * (its late completion is ignored), the consumer seeks back to that offset, and the records are fetched again
 * in order after the backoff. Entries before the failed offset stay and still count when they finish.
 */
final class PartitionState {
  /** One record handed to the pipeline. */
  static final class InFlight {
    final PartitionState owner;
    final long offset;
    final int bytes;
    /** Kept only while a dead-letter copy may be needed (null otherwise). */
    ConsumerRecord<byte[], byte[]> record;
    boolean done;
    boolean cancelled;

    InFlight(PartitionState owner, long offset, int bytes) {
      this.owner = owner;
      this.offset = offset;
      this.bytes = bytes;
    }
  }

  final TopicPartition tp;
  /** The signal its topic carries; null when no signal claims the topic (records are skipped). */
  final Signal signal;
  final RetryBackoff backoff;
  /** Its metric data points (set by the receiver at assignment). */
  ReceiverMetrics.Partition metrics;
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private long inFlightBytes;
  /** The offset to commit (next record not finished); -1 until the first record. */
  private long committable = -1;
  /** The last offset committed (or sent in a commit); -1 for none. */
  long committed = -1;
  /** The offset after the last record dispatched; -1 until the first. */
  long nextOffset = -1;
  /** System.nanoTime() at which a retry may start; 0 when none is waiting. */
  long retryAtNanos;
  /** Paused because of the in-flight bound. */
  boolean pausedForBound;
  /** Whether the consumer currently has the partition paused (as we asked). */
  boolean paused;
  /** Set when the partition was revoked or lost: late completions are ignored. */
  boolean closed;

  PartitionState(TopicPartition tp, Signal signal, RetryBackoff backoff) {
    this.tp = tp;
    this.signal = signal;
    this.backoff = backoff;
  }

  /** Records a record handed to the pipeline (offsets must grow). */
  InFlight add(long offset, int bytes) {
    InFlight e = new InFlight(this, offset, bytes);
    inFlight.addLast(e);
    inFlightBytes += bytes;
    nextOffset = offset + 1;
    if (committable < 0) {
      committable = offset;
    }
    return e;
  }

  /**
   * Marks {@code e} finished; returns true when the committable offset moved. Cancelled entries and entries of
   * a closed partition are ignored.
   */
  boolean complete(InFlight e) {
    if (e.done || e.cancelled || closed) {
      return false;
    }
    e.done = true;
    e.record = null;
    boolean moved = false;
    while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
      InFlight head = inFlight.pollFirst();
      inFlightBytes -= head.bytes;
      committable = head.offset + 1;
      moved = true;
    }
    return moved;
  }

  /**
   * Cancels every entry at or after {@code offset} (the caller seeks the consumer back to it). Returns how many
   * entries were cancelled.
   */
  int rewind(long offset) {
    int n = 0;
    for (Iterator<InFlight> it = inFlight.descendingIterator(); it.hasNext(); ) {
      InFlight e = it.next();
      if (e.offset < offset) {
        break;
      }
      e.cancelled = true;
      e.record = null;
      inFlightBytes -= e.bytes;
      it.remove();
      n++;
    }
    nextOffset = offset;
    if (inFlight.isEmpty()) {
      committable = offset;
    }
    return n;
  }

  /** Unfinished records. */
  int inFlightRecords() {
    return inFlight.size();
  }

  /** Bytes of unfinished records. */
  long inFlightBytes() {
    return inFlightBytes;
  }

  /** The offset that may be committed now, or -1 when nothing was dispatched yet. */
  long committable() {
    return committable;
  }

  /** True when the committable offset is ahead of the last commit. */
  boolean commitPending() {
    return committable >= 0 && committable > committed;
  }

  /** Cancels every entry (on revoke after the wait, on loss, on close). */
  void close() {
    closed = true;
    for (InFlight e : inFlight) {
      e.cancelled = true;
      e.record = null;
    }
    inFlight.clear();
    inFlightBytes = 0;
  }

  @Override
  public String toString() {
    return tp + "{inFlight=" + inFlight.size() + ", committable=" + committable + ", committed=" + committed + "}";
  }
}
