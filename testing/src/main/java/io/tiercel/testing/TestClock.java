package io.tiercel.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manual {@link Clock} for tests: time stands still until {@link #advance} or {@link #set} moves
 * it. Nanosecond precision; thread-safe. Views made with {@link #withZone} share the same time.
 */
public final class TestClock extends Clock {
  /** The default start: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicLong epochNanos;
  private final ZoneId zone;

  private TestClock(AtomicLong epochNanos, ZoneId zone) {
    this.epochNanos = epochNanos;
    this.zone = zone;
  }

  /** A clock at {@link #DEFAULT_START}, UTC. */
  public static TestClock create() {
    return at(DEFAULT_START);
  }

  /** A clock at {@code start}, UTC. */
  public static TestClock at(Instant start) {
    return new TestClock(new AtomicLong(toNanos(start)), ZoneOffset.UTC);
  }

  /** Moves time forward by {@code d} (must not be negative); returns the new instant. */
  public Instant advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("cannot go back in time: " + d);
    }
    return fromNanos(epochNanos.addAndGet(d.toNanos()));
  }

  /** Moves time forward by {@code millis} milliseconds. */
  public Instant advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** Sets the time (backwards too, to test clock jumps). */
  public void set(Instant t) {
    epochNanos.set(toNanos(t));
  }

  /**
   * Nanoseconds since the epoch: a stand-in for {@link System#nanoTime()} in code that takes a time
   * source.
   */
  public long nanos() {
    return epochNanos.get();
  }

  @Override
  public Instant instant() {
    return fromNanos(epochNanos.get());
  }

  @Override
  public long millis() {
    return Math.floorDiv(epochNanos.get(), 1_000_000L);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new TestClock(epochNanos, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "TestClock[" + instant() + "," + zone + "]";
  }

  private static long toNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static Instant fromNanos(long n) {
    return Instant.ofEpochSecond(
        Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }
}
