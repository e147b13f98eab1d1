package io.tiercel.kafka.receiver;

import io.tiercel.core.pdata.Signal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the receiver knows about one assigned partition: the records handed to the pipeline and not
 * finished, in offset order, and the offset that may be committed (the one after the longest
 * finished prefix). Confined to the poll thread; completions from pipeline threads reach it through
 * the receiver's queue.
 *
 * <p>A retryable failure is retried <em>in place</em>: the failed entry keeps its place (and its
 * record) and {@link #scheduleRetry waits} for its backoff, then the receiver hands the same record
 * to the pipeline again. Entries after it are not touched: they finish and count as they would
 * have, but the committable offset stops at the waiting entry until it finishes. Several entries
 * may wait at once, each with its own backoff, but only one of them goes back to the pipeline at a
 * time: the <em>probe</em>, the waiting entry with the lowest offset, at its own time. The others
 * wait until the pipeline accepts something of this partition again (the probe, or a record still
 * in the pipeline: {@link #releaseWaiting}), and then all go at once. During a backend outage a
 * partition with thousands of refused records retries one record per backoff, not thousands.
 */
final class PartitionState {
  /** One record handed to the pipeline. */
  static final class InFlight {
    final PartitionState owner;
    final long offset;
    final int bytes;

    /**
     * The record, kept until the entry finishes: a retry dispatches it again and a dead-letter copy
     * sends it. Its value bytes are the {@link #bytes} counted in the in-flight bound.
     */
    ConsumerRecord<byte[], byte[]> record;

    /** Its retry backoff, made at its first retryable failure (null before). */
    RetryBackoff backoff;

    /** How many times it was handed to the pipeline; an outcome names the dispatch it answers. */
    int dispatches;

    /** System.nanoTime() at which its retry is due; meaningful only while {@link #waiting}. */
    long retryAtNanos;

    /** Waiting for its retry (not in the pipeline). */
    boolean waiting;

    boolean done;
    boolean cancelled;

    InFlight(PartitionState owner, long offset, int bytes) {
      this.owner = owner;
      this.offset = offset;
      this.bytes = bytes;
    }
  }

  private static final Comparator<InFlight> BY_OFFSET = Comparator.comparingLong(e -> e.offset);

  final TopicPartition tp;

  /** The signal its topic carries; null when no signal claims the topic (records are skipped). */
  final Signal signal;

  /** Its metric data points (set by the receiver at assignment). */
  ReceiverMetrics.Partition metrics;

  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

  /** Entries waiting for a retry (a subset of {@link #inFlight}). */
  private final List<InFlight> waiting = new ArrayList<>();

  /**
   * The waiting entry handed to the pipeline again, until its outcome is known; null when none is
   * out.
   */
  private InFlight probe;

  /**
   * Set once the pipeline accepted a record while entries waited: every waiting entry is due at
   * once.
   */
  private boolean releaseAll;

  /** Entries of {@link #inFlight} that finished but wait behind an unfinished one. */
  private int finishedBehind;

  private long inFlightBytes;

  /** The offset to commit (next record not finished); -1 until the first record. */
  private long committable = -1;

  /** The last offset committed (or sent in a commit); -1 for none. */
  long committed = -1;

  /** Records between the committable offset and the end of the partition; -1 until read. */
  long lag = -1;

  /** The offset after the last record dispatched; -1 until the first. */
  long nextOffset = -1;

  /** Paused because of the in-flight bound. */
  boolean pausedForBound;

  /** Whether the consumer currently has the partition paused (as we asked). */
  boolean paused;

  /** Set when the partition was revoked or lost: late completions are ignored. */
  boolean closed;

  PartitionState(TopicPartition tp, Signal signal) {
    this.tp = tp;
    this.signal = signal;
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
   * Marks {@code e} finished; returns true when the committable offset moved. Cancelled entries and
   * entries of a closed partition are ignored.
   */
  boolean complete(InFlight e) {
    if (e.done || e.cancelled || closed) {
      return false;
    }
    if (e.waiting) {
      e.waiting = false;
      waiting.remove(e);
    }
    if (e == probe) {
      probe = null;
    }
    e.done = true;
    e.record = null;
    e.backoff = null;
    finishedBehind++;
    boolean moved = false;
    while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
      InFlight head = inFlight.pollFirst();
      finishedBehind--;
      inFlightBytes -= head.bytes;
      committable = head.offset + 1;
      moved = true;
    }
    return moved;
  }

  /**
   * Makes {@code e} (unfinished, out of the pipeline after a retryable failure) wait until {@code
   * atNanos} (System.nanoTime()) for its retry. It keeps its place, so the committable offset
   * cannot pass it.
   */
  void scheduleRetry(InFlight e, long atNanos) {
    if (e.done || e.cancelled || closed) {
      return;
    }
    e.retryAtNanos = atNanos;
    if (e == probe) {
      probe = null; // refused again: the next probe goes at its own time
    }
    if (!e.waiting) {
      e.waiting = true;
      waiting.add(e);
    }
  }

  /** True while an entry waits for its retry (the partition fetches nothing new meanwhile). */
  boolean retryWaiting() {
    return !waiting.isEmpty();
  }

  /** Entries waiting for a retry. */
  int waitingRecords() {
    return waiting.size();
  }

  /**
   * The pipeline accepted a record of this partition: every waiting entry becomes due at once (the
   * backend is back). Their backoffs are kept, so {@code max_elapsed_time} still counts from each
   * one's first failure.
   */
  void releaseWaiting() {
    if (!waiting.isEmpty()) {
      releaseAll = true;
    }
  }

  /**
   * Takes the entries to hand to the pipeline again at {@code nowNanos} out of the waiting set: all
   * of them (in offset order) once {@link #releaseWaiting released}; otherwise the probe, the
   * waiting entry with the lowest offset, when its time has come and no probe is out.
   */
  List<InFlight> dueRetries(long nowNanos) {
    if (waiting.isEmpty()) {
      releaseAll = false;
      return List.of();
    }
    if (releaseAll) {
      releaseAll = false;
      List<InFlight> due = new ArrayList<>(waiting);
      for (InFlight e : due) {
        e.waiting = false;
      }
      waiting.clear();
      due.sort(BY_OFFSET);
      probe = null;
      return due;
    }
    if (probe != null) {
      return List.of(); // its outcome decides for the others
    }
    InFlight first = waiting.get(0);
    for (InFlight e : waiting) {
      if (e.offset < first.offset) {
        first = e;
      }
    }
    if (nowNanos - first.retryAtNanos < 0) {
      return List.of();
    }
    first.waiting = false;
    waiting.remove(first);
    probe = first;
    return List.of(first);
  }

  /**
   * Records from the committable offset on: the unfinished ones (waiting ones included) and those
   * that finished behind them. This is what the in-flight bound counts, and what the next owner
   * reads again.
   */
  int inFlightRecords() {
    return inFlight.size();
  }

  /** Records not finished yet, waiting ones included. */
  int unfinishedRecords() {
    return inFlight.size() - finishedBehind;
  }

  /**
   * Unfinished records that the pipeline (or the dead-letter producer) holds now: not waiting for a
   * retry.
   */
  int busyRecords() {
    return inFlight.size() - finishedBehind - waiting.size();
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
      e.waiting = false;
      e.record = null;
      e.backoff = null;
    }
    inFlight.clear();
    waiting.clear();
    probe = null;
    releaseAll = false;
    finishedBehind = 0;
    inFlightBytes = 0;
  }

  @Override
  public String toString() {
    return tp
        + "{inFlight="
        + inFlight.size()
        + ", waiting="
        + waiting.size()
        + ", committable="
        + committable
        + ", committed="
        + committed
        + "}";
  }

  /** The sum of {@code count} over {@code states}. */
  static int sum(Collection<PartitionState> states, ToIntFunction<PartitionState> count) {
    int n = 0;
    for (PartitionState st : states) {
      n += count.applyAsInt(st);
    }
    return n;
  }
}
