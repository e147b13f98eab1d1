package io.tiercel.core.builtin.file;

import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Host;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.OtlpData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exporter of one signal; writes through the {@link FileSink} it shares with the other signals.
 */
final class FileExporter<T extends OtlpData> implements Exporter<T> {
  private static final int NEW = 0;
  private static final int STARTED = 1;
  private static final int STOPPED = 2;

  private final FileSink sink;
  private final AtomicInteger state = new AtomicInteger(NEW);

  FileExporter(FileSink sink) {
    this.sink = sink;
  }

  @Override
  public void start(Host host) throws Exception {
    if (state.compareAndSet(NEW, STARTED)) {
      try {
        sink.acquire();
      } catch (Exception e) {
        state.set(STOPPED);
        throw e;
      }
    }
  }

  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    return sink.submit(data);
  }

  @Override
  public void shutdown(Deadline deadline) throws Exception {
    int previous = state.getAndSet(STOPPED);
    if (previous == STARTED) {
      sink.release(deadline);
    }
  }
}
