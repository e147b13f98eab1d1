package io.tiercel.processors.tailsampling;

import java.time.Clock;
import java.time.Instant;

/**
 * A token bucket on the policy clock, as the collector's ({@code golang.org/x/time/rate} {@code
 * AllowN}): full at start, refilled continuously at {@code rate} tokens per second up to {@code
 * burst}; {@link #take} takes {@code n} tokens when that many are there and otherwise takes
 * nothing. Not thread-safe: the engine serializes calls.
 */
final class TokenBucket {
  private final double rate;
  private final double burst;
  private final Clock clock;
  private double tokens;
  private long last;

  TokenBucket(double rate, double burst, Clock clock) {
    this.rate = rate;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = nanos(clock);
  }

  boolean take(long n) {
    long now = nanos(clock);
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
    }
    if (n <= tokens) {
      tokens -= n;
      return true;
    }
    return false;
  }

  private static long nanos(Clock clock) {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
