package io.tiercel.core.exporterhelper;

import io.tiercel.core.consumer.Context;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** One request in the sending queue: its data, its size in sizer units and its queue file. */
final class QueuedRequest<T> {
  final Context ctx;
  final T data;
  final long size;
  volatile @Nullable Path file; // set once persisted
  final CompletableFuture<Void> enqueued = new CompletableFuture<>();
  final CompletableFuture<Void> result = new CompletableFuture<>();

  private boolean finished; // guarded by this: the queue file was (or is being) deleted

  QueuedRequest(Context ctx, T data, long size) {
    this.ctx = ctx;
    this.data = data;
    this.size = size;
  }

  /**
   * Makes {@code f} the request's queue file; returns the file to delete: the one it replaces, or
   * {@code f} itself when the request finished meanwhile.
   */
  synchronized @Nullable Path replaceFile(Path f) {
    if (finished) {
      return f;
    }
    Path old = file;
    file = f;
    return old;
  }

  /** Marks the request finished; returns its queue file, to delete. */
  synchronized @Nullable Path finish() {
    finished = true;
    return file;
  }
}
