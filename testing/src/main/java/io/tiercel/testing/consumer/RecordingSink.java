package io.tiercel.testing.consumer;

import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.MalformedDataException;
import io.tiercel.core.pdata.OtlpData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A next hop that records every {@link #consume} call with its {@link Context}, for tests of
 * receivers and processors (the collector's {@code consumertest} sink).
 *
 * <p>By default every call completes at once. In <em>hold</em> mode ({@link #holding()} or {@link
 * #hold(boolean)}) the returned futures stay pending until the test calls {@link #completeAll()},
 * {@link #failAll(Throwable)} or completes a single {@link Call#future()}: that is how
 * acknowledgement (offset commits, held batch futures) is tested. Thread-safe; {@link #awaitItems}
 * and {@link #awaitCalls} block the test thread, never a caller of {@code consume}.
 *
 * @param <T> {@code Traces}, {@code Metrics} or {@code Logs}
 */
public final class RecordingSink<T extends OtlpData> implements TelemetryConsumer<T> {
  /**
   * One recorded call: the context, the data (as received, never copied) and the future handed
   * back.
   */
  public record Call<T extends OtlpData>(Context context, T data, CompletableFuture<Void> future) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock
  private final List<Call<T>> calls = new ArrayList<>();
  private long items;
  private boolean hold;
  private boolean mutates;

  private RecordingSink(boolean hold) {
    this.hold = hold;
  }

  /** A sink that accepts everything at once. */
  public static <T extends OtlpData> RecordingSink<T> create() {
    return new RecordingSink<>(false);
  }

  /** A sink in hold mode: futures complete only when the test says so. */
  public static <T extends OtlpData> RecordingSink<T> holding() {
    return new RecordingSink<>(true);
  }

  /**
   * Records the call and counts its items; returns a completed future, or a pending one in hold
   * mode. Data that is not well-formed OTLP is recorded (with 0 items) and answered with a failed
   * future carrying the {@link PermanentException}. Never blocks.
   */
  @Override
  public CompletableFuture<Void> consume(Context ctx, T data) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(data, "data");
    int n;
    PermanentException malformed = null;
    try {
      n = data.itemCount();
    } catch (MalformedDataException e) {
      // recorded like any call, answered like a next hop that parses: a permanent failure
      n = 0;
      malformed = (PermanentException) PipelineException.classify(e);
    }
    lock.lock();
    try {
      CompletableFuture<Void> f =
          malformed != null
              ? CompletableFuture.failedFuture(malformed)
              : hold ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
      calls.add(new Call<>(ctx, data, f));
      items += n;
      changed.signalAll();
      return f;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean mutatesData() {
    lock.lock();
    try {
      return mutates;
    } finally {
      lock.unlock();
    }
  }

  /** Makes {@link #mutatesData()} answer {@code mutates} (to test fan-out cloning). */
  public RecordingSink<T> mutatesData(boolean mutates) {
    lock.lock();
    try {
      this.mutates = mutates;
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Switches hold mode on or off for later calls; futures already handed out are not touched. */
  public RecordingSink<T> hold(boolean hold) {
    lock.lock();
    try {
      this.hold = hold;
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Every call so far, in order. */
  public List<Call<T>> calls() {
    lock.lock();
    try {
      return List.copyOf(calls);
    } finally {
      lock.unlock();
    }
  }

  /** The data of every call so far, in order. */
  public List<T> data() {
    return calls().stream().map(Call::data).toList();
  }

  /** The context of every call so far, in order. */
  public List<Context> contexts() {
    return calls().stream().map(Call::context).toList();
  }

  /** Number of calls so far. */
  public int callCount() {
    lock.lock();
    try {
      return calls.size();
    } finally {
      lock.unlock();
    }
  }

  /** Items (spans, data points, log records) received so far, over all calls. */
  public long itemCount() {
    lock.lock();
    try {
      return items;
    } finally {
      lock.unlock();
    }
  }

  /** Futures handed out and not completed yet. */
  public int pendingCount() {
    return (int) calls().stream().filter(c -> !c.future().isDone()).count();
  }

  /** Completes every pending future successfully; returns how many it completed. */
  public int completeAll() {
    int n = 0;
    for (Call<T> c : calls()) {
      if (c.future().complete(null)) {
        n++;
      }
    }
    return n;
  }

  /** Fails every pending future with {@code error}; returns how many it failed. */
  public int failAll(Throwable error) {
    int n = 0;
    for (Call<T> c : calls()) {
      if (c.future().completeExceptionally(error)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Waits until at least {@code n} items arrived.
   *
   * @throws AssertionError naming how many items (and calls) arrived when {@code timeout} passes
   *     first
   */
  public RecordingSink<T> awaitItems(long n, Duration timeout) {
    await(
        () -> items >= n,
        timeout,
        () ->
            "expected "
                + n
                + " items but "
                + items
                + " arrived in "
                + calls.size()
                + " calls within "
                + timeout.toMillis()
                + " ms");
    return this;
  }

  /**
   * Waits until at least {@code n} calls arrived.
   *
   * @throws AssertionError naming how many calls arrived when {@code timeout} passes first
   */
  public RecordingSink<T> awaitCalls(int n, Duration timeout) {
    await(
        () -> calls.size() >= n,
        timeout,
        () ->
            "expected "
                + n
                + " calls but "
                + calls.size()
                + " arrived within "
                + timeout.toMillis()
                + " ms");
    return this;
  }

  private void await(
      java.util.function.BooleanSupplier done,
      Duration timeout,
      java.util.function.Supplier<String> message) {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!done.getAsBoolean()) {
        if (left <= 0) {
          throw new AssertionError(message.get());
        }
        left = changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + message.get(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every call and the item count (pending futures stay pending). */
  public void reset() {
    lock.lock();
    try {
      calls.clear();
      items = 0;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "RecordingSink{calls=" + calls.size() + ", items=" + items + ", hold=" + hold + "}";
    } finally {
      lock.unlock();
    }
  }
}
