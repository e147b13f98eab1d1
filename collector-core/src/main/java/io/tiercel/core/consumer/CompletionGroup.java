package io.tiercel.core.consumer;

import io.tiercel.core.pdata.Batches;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Completes one upstream future when every downstream part it was handed on as completed: the
 * acknowledgement of a stage that passes one request on as several (fan-out to several consumers,
 * batch and tail_sampling putting pieces of it into several outgoing requests).
 *
 * <p>Use: create the group, call {@link #expect()} before handing each part on, complete each part
 * with {@link #done}, and call {@link #close()} once every part was handed on. The group holds one
 * token of its own until {@link #close()}, so parts that complete while others are still being
 * handed on cannot complete the upstream early. Thread-safe; {@link #done} may run on any thread.
 *
 * <p>How failures reach the upstream, including the part of its data that failed ({@link
 * PipelineException#failed()}):
 *
 * <ul>
 *   <li>{@link #sameData()} (fan-out: every part got the upstream's data itself): when exactly one
 *       part failed, the upstream fails with that failure as is, carried part included, since it
 *       describes the same data. When several failed, with one failure naming every message,
 *       permanent when any is permanent, else retryable with the longest throttle asked for, and
 *       <b>without</b> a carried part: different failed subsets on different branches are not one
 *       subset of the data, so the whole request fails (its retry reaches every branch again).
 *   <li>{@link #pieces(int)} (batch, tail_sampling: each part carried a piece of the upstream's
 *       data): the upstream fails with the first failure. It carries the join of the failed pieces
 *       when every failed part named the piece it held ({@link #done(Throwable, OtlpData)}: the
 *       piece, or the failure's own carried part when it has one, which then describes that piece),
 *       and nothing (the whole request failed) when a failed part did not ({@link
 *       #done(Throwable)}) or when the failed pieces are all of the data.
 * </ul>
 */
public final class CompletionGroup {
  private final boolean sameData;
  private final int items;
  private final CompletableFuture<Void> future = new CompletableFuture<>();
  private final AtomicInteger open = new AtomicInteger(1); // 1: the group's own token
  private final Object lock = new Object();
  private int parts; // guarded by lock
  private @Nullable List<Throwable> failures; // guarded by lock
  private @Nullable List<OtlpData> failedPieces; // guarded by lock
  private boolean failedPiecesUnknown; // guarded by lock

  private CompletionGroup(boolean sameData, int items) {
    this.sameData = sameData;
    this.items = items;
  }

  /** A group whose parts all received the upstream's data itself (fan-out). */
  public static CompletionGroup sameData() {
    return new CompletionGroup(true, -1);
  }

  /**
   * A group whose parts each carry a piece of the upstream's data (batch, tail_sampling).
   *
   * @param items the item count of the upstream's data, to tell a failure of all of it
   */
  public static CompletionGroup pieces(int items) {
    return new CompletionGroup(false, items);
  }

  /** The upstream's future: completes once {@link #close()} was called and every part is done. */
  public CompletableFuture<Void> future() {
    return future;
  }

  /** Expects one more part; call before handing the part on. */
  public void expect() {
    synchronized (lock) {
      parts++;
    }
    open.incrementAndGet();
  }

  /**
   * One part completed: successfully when {@code failure} is null. For a {@link #pieces} group, a
   * failure here does not say which items failed, so the upstream's failure then carries no part.
   */
  public void done(@Nullable Throwable failure) {
    if (failure != null) {
      synchronized (lock) {
        addFailure(failure);
        failedPiecesUnknown = true;
      }
    }
    release();
  }

  /**
   * One part, which carried {@code piece} of the upstream's data, completed: successfully when
   * {@code failure} is null. On failure the failed items are the failure's carried part when it has
   * one (a part of {@code piece}), else all of {@code piece}.
   */
  public void done(@Nullable Throwable failure, OtlpData piece) {
    if (failure != null) {
      OtlpData failed = PipelineException.classify(failure).failed().orElse(piece);
      synchronized (lock) {
        addFailure(failure);
        if (failedPieces == null) {
          failedPieces = new ArrayList<>(2);
        }
        failedPieces.add(failed);
      }
    }
    release();
  }

  /** Every part was handed on: releases the group's own token. Call once. */
  public void close() {
    release();
  }

  /**
   * Fails the upstream at once, for a request that was never handed on (refused or abandoned at
   * shutdown); parts still pending no longer matter.
   */
  public void abandon(Throwable failure) {
    future.completeExceptionally(failure);
  }

  private void addFailure(Throwable failure) {
    if (failures == null) {
      failures = new ArrayList<>(2);
    }
    failures.add(failure);
  }

  private void release() {
    if (open.decrementAndGet() != 0) {
      return;
    }
    Throwable failure;
    synchronized (lock) {
      failure = failures == null ? null : outcome(failures);
    }
    if (failure == null) {
      future.complete(null);
    } else {
      future.completeExceptionally(failure);
    }
  }

  // guarded by lock
  private Throwable outcome(List<Throwable> all) {
    if (sameData) {
      if (all.size() == 1) {
        return all.get(0);
      }
      List<PipelineException> classified = new ArrayList<>(all.size());
      for (Throwable t : all) {
        classified.add(PipelineException.classify(t));
      }
      return merge(classified, parts);
    }
    Throwable first = all.get(0);
    OtlpData carried = failedPiecesUnknown ? null : joinedFailedPieces();
    PipelineException pe =
        PipelineException.unwrap(first) instanceof PipelineException p ? p : null;
    if (carried == null && (pe == null || pe.failed().isEmpty())) {
      return first;
    }
    return PipelineException.classify(first).withFailed(carried);
  }

  // guarded by lock; null when the failed pieces are the whole data
  private @Nullable OtlpData joinedFailedPieces() {
    List<OtlpData> f = failedPieces;
    if (f == null) {
      return null;
    }
    long n = 0;
    for (OtlpData d : f) {
      n += d.itemCount();
    }
    // profiles requests are not joined (see Profiles): their failed pieces stand for the whole
    return n >= items || (f.size() > 1 && f.get(0).signal() == Signal.PROFILES)
        ? null
        : Batches.join(f);
  }

  /**
   * Several failures as one: permanent when any is, else retryable with the longest throttle; the
   * message names every failure, the first permanent one (else the first) is the cause and the
   * others are suppressed. Carries no failed part.
   */
  static PipelineException merge(List<PipelineException> failures, int total) {
    StringBuilder msg =
        new StringBuilder()
            .append(failures.size())
            .append(" of ")
            .append(total)
            .append(" consumers failed: ");
    PipelineException firstPermanent = null;
    Duration throttle = null;
    for (int i = 0; i < failures.size(); i++) {
      PipelineException pe = failures.get(i);
      msg.append(i == 0 ? "" : "; ").append(pe.getMessage());
      if (!pe.isRetryable() && firstPermanent == null) {
        firstPermanent = pe;
      }
      if (pe instanceof RetryableException re
          && re.throttle().isPresent()
          && (throttle == null || re.throttle().get().compareTo(throttle) > 0)) {
        throttle = re.throttle().get();
      }
    }
    PipelineException cause = firstPermanent != null ? firstPermanent : failures.get(0);
    PipelineException merged =
        firstPermanent != null
            ? new PermanentException(msg.toString(), cause)
            : new RetryableException(msg.toString(), cause, throttle);
    for (PipelineException pe : failures) {
      if (pe != cause) {
        merged.addSuppressed(pe);
      }
    }
    return merged;
  }
}
