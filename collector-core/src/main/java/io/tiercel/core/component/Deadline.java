package io.tiercel.core.component;

import java.time.Duration;

/** A point in time (on {@link System#nanoTime()}) by which a shutdown must be over. */
public record Deadline(long nanoTime) {
  /** A deadline {@code d} from now. */
  public static Deadline in(Duration d) {
    return new Deadline(System.nanoTime() + d.toNanos());
  }

  /** Time left, never negative. */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
  }

  /** Milliseconds left, never negative. */
  public long remainingMillis() {
    return remaining().toMillis();
  }

  public boolean expired() {
    return System.nanoTime() - nanoTime >= 0;
  }
}
