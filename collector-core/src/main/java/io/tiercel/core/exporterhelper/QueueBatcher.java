package io.tiercel.core.exporterhelper;

import io.tiercel.core.consumer.CompletionGroup;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.pdata.Batches;
import io.tiercel.core.pdata.OtlpData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The batches of {@code sending_queue.batch}: requests taken from the queue are cut into pieces and
 * placed into open batches (one per partition), which become ready when they reach {@code
 * min_size}, when a piece fills them to {@code max_size}, or {@code flush_timeout} after their
 * first piece. Not thread-safe: the exporter helper calls it under one lock.
 *
 * <p>Each piece remembers the {@link CompletionGroup} of its request, so the request completes when
 * every batch that carries a piece of it did, and fails with the pieces that failed.
 */
final class QueueBatcher<T extends OtlpData> {
  /** A piece of one queued request. */
  record Piece<T>(T data, QueuedRequest<T> request, CompletionGroup group, boolean whole) {}

  /** A batch to send: its context and its pieces, in order. */
  record Batch<T extends OtlpData>(Context ctx, List<Piece<T>> pieces) {
    T data() {
      if (pieces.size() == 1) {
        return pieces.get(0).data();
      }
      List<T> parts = new ArrayList<>(pieces.size());
      for (Piece<T> p : pieces) {
        parts.add(p.data());
      }
      return Batches.join(parts);
    }

    /**
     * Tells each piece's request the batch's outcome (null: sent). A batch of one piece passes the
     * failure on as it is, with the part that failed. For a batch joined from several pieces, which
     * of its items came from which piece is not kept, so each piece counts as failed whole: a retry
     * may repeat delivered items, never lose one.
     */
    void completed(@Nullable Throwable e) {
      Throwable perPiece =
          e != null
                  && pieces.size() > 1
                  && PipelineException.unwrap(e) instanceof PipelineException pe
                  && pe.failed().isPresent()
              ? pe.withFailed(null)
              : e;
      for (Piece<T> p : pieces) {
        p.group().done(perPiece, p.data());
      }
    }
  }

  private static final class Open<T extends OtlpData> {
    final Context ctx;
    List<Piece<T>> pieces = new ArrayList<>();
    long size;
    long deadlineNanos;

    Open(Context ctx) {
      this.ctx = ctx;
    }
  }

  private final QueueBatchConfig cfg;
  private final Map<List<List<String>>, Open<T>> open = new LinkedHashMap<>();
  private final ArrayDeque<Batch<T>> ready = new ArrayDeque<>();

  QueueBatcher(QueueBatchConfig cfg) {
    this.cfg = cfg;
  }

  private long sizeOf(T data) {
    return cfg.sizer() == Sizer.BYTES ? data.serializedSize() : data.itemCount();
  }

  /**
   * Places {@code req}'s data, calling {@code group.expect()} for each piece; batches it fills
   * become ready.
   *
   * @return true when a piece of the request opened a batch that is still open (its flush_timeout
   *     starts now)
   */
  boolean add(QueuedRequest<T> req, CompletionGroup group, long nowNanos) {
    if (req.data.itemCount() == 0) {
      return false;
    }
    List<List<String>> key = partitionKey(req.ctx);
    Open<T> b = open.get(key);
    if (b == null) {
      b = new Open<>(batchContext(req.ctx));
      open.put(key, b);
    }
    long max = cfg.maxSize();
    T remaining = req.data;
    boolean whole = true;
    while (remaining != null && max > 0 && b.size + sizeOf(remaining) > max) {
      List<T> cut = cut(remaining, max - b.size, b.pieces.isEmpty());
      if (cut.isEmpty()) { // nothing more fits: send what the batch holds
        seal(b);
        continue;
      }
      whole = false;
      append(b, cut.get(0), req, group, false, nowNanos);
      seal(b);
      remaining = cut.size() > 1 ? cut.get(1) : null;
    }
    if (remaining != null) {
      append(b, remaining, req, group, whole, nowNanos);
      if (b.size >= cfg.minSize()) {
        seal(b);
      }
    }
    if (b.pieces.isEmpty()) {
      open.remove(key);
      return false;
    }
    return b.pieces.get(0).request() == req;
  }

  /**
   * {@code data} cut at {@code room}: the first part fitting in it and the rest (absent when all
   * fits); empty when not even one item fits. An item larger than {@code room} in an empty batch
   * ({@code alone}) is cut off on its own: it is sent alone, over {@code max_size}, rather than
   * never.
   */
  private List<T> cut(T data, long room, boolean alone) {
    int items = data.itemCount();
    long size = sizeOf(data);
    if (size <= room) {
      return List.of(data);
    }
    int n =
        cfg.sizer() == Sizer.BYTES
            ? (int) Math.min(items - 1, Math.max(1, (long) items * room / Math.max(1, size)))
            : (int) Math.min(items - 1, room);
    while (n >= 1) {
      List<T> first = Batches.split(data, n);
      T head = first.get(0);
      long headSize = sizeOf(head);
      if (headSize <= room || n == 1 && alone) {
        return List.of(head, Batches.join(first.subList(1, first.size())));
      }
      n = (int) Math.min(n - 1, (long) n * room / headSize);
    }
    if (alone) {
      List<T> first = Batches.split(data, 1);
      return List.of(first.get(0), Batches.join(first.subList(1, first.size())));
    }
    return List.of();
  }

  private void append(
      Open<T> b, T piece, QueuedRequest<T> req, CompletionGroup g, boolean whole, long now) {
    if (b.pieces.isEmpty()) {
      b.deadlineNanos = now + cfg.flushTimeout().toNanos();
    }
    g.expect();
    b.pieces.add(new Piece<>(piece, req, g, whole));
    b.size += sizeOf(piece);
  }

  private void seal(Open<T> b) {
    if (!b.pieces.isEmpty()) {
      ready.add(new Batch<>(b.ctx, b.pieces));
      b.pieces = new ArrayList<>();
      b.size = 0;
    }
  }

  /** Makes ready every open batch whose flush_timeout has passed, or every one when {@code all}. */
  void expire(long nowNanos, boolean all) {
    for (Iterator<Open<T>> it = open.values().iterator(); it.hasNext(); ) {
      Open<T> b = it.next();
      if (all || nowNanos - b.deadlineNanos >= 0) {
        seal(b);
        it.remove();
      }
    }
  }

  /** The next batch to send, if one is ready. */
  @Nullable Batch<T> pollReady() {
    return ready.poll();
  }

  /** No batch open or ready. */
  boolean isEmpty() {
    return open.isEmpty() && ready.isEmpty();
  }

  /** Removes and returns every piece not sent yet (at the end of a shutdown). */
  List<Piece<T>> takeAll() {
    expire(0, true);
    List<Piece<T>> all = new ArrayList<>();
    Batch<T> b;
    while ((b = ready.poll()) != null) {
      all.addAll(b.pieces());
    }
    return all;
  }

  private List<List<String>> partitionKey(Context ctx) {
    List<String> keys = cfg.partition().metadataKeys();
    if (keys.isEmpty()) {
      return List.of();
    }
    List<List<String>> k = new ArrayList<>(keys.size());
    for (String mk : keys) {
      k.add(ctx.get(mk));
    }
    return k;
  }

  /**
   * Without partition keys a batch goes with the context of its first request; with them, with only
   * those keys (every request in it has the same values).
   */
  private Context batchContext(Context ctx) {
    List<String> keys = cfg.partition().metadataKeys();
    if (keys.isEmpty()) {
      return ctx;
    }
    Map<String, List<String>> kept = new LinkedHashMap<>();
    for (String k : keys) {
      List<String> v = ctx.get(k);
      if (!v.isEmpty()) {
        kept.put(k, v);
      }
    }
    return Context.of(kept);
  }
}
