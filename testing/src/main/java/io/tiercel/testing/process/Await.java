package io.tiercel.testing.process;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits on a condition with a generous timeout instead of sleeping a fixed time. */
public final class Await {
  private Await() {}

  /**
   * Probes every {@code every} until {@code ok} accepts the probed value and returns it; fails when
   * {@code timeout} passes (the message names {@code what} and the last value) or when {@code
   * alive} turns false (e.g. the process that should produce the value died).
   */
  public static <T> T until(
      String what,
      Duration timeout,
      Duration every,
      Supplier<T> probe,
      Predicate<T> ok,
      Supplier<String> failureDetail) {
    long end = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (true) {
      last = probe.get();
      if (last != null && ok.test(last)) {
        return last;
      }
      if (System.nanoTime() - end > 0) {
        throw new AssertionError(
            "timed out after "
                + timeout
                + " waiting for "
                + what
                + "; last value: "
                + last
                + failureDetail.get());
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** {@link #until} every 200 ms with no extra detail. */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> ok) {
    return until(what, timeout, Duration.ofMillis(200), probe, ok, () -> "");
  }
}
