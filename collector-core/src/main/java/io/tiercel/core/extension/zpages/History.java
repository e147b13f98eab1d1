package io.tiercel.core.extension.zpages;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The samples the status page computes from: the last {@link #RECENT} full samples (one a second:
 * rates over the last second, latency quantiles over the last ten) and, for the tail-sampling
 * chart, the policy decision counters of the last {@link #DECISIONS} samples (five minutes).
 * Written by the sampler thread, read by the HTTP thread. Thread-safe.
 */
final class History {
  static final int RECENT = 11;
  static final int DECISIONS = 301;

  /** Decision counters ({@code ts.policy|...} keys) at one instant. */
  record Decisions(long nanos, Map<String, Double> counters) {}

  private final Object lock = new Object();
  private final ArrayDeque<Sample> recent = new ArrayDeque<>(); // guarded by lock
  private final ArrayDeque<Decisions> decisions = new ArrayDeque<>(); // guarded by lock

  void add(Sample s) {
    Map<String, Double> d = new HashMap<>();
    s.values.forEach(
        (k, v) -> {
          if (k.startsWith("ts.policy|")) {
            d.put(k, v);
          }
        });
    synchronized (lock) {
      recent.addLast(s);
      while (recent.size() > RECENT) {
        recent.removeFirst();
      }
      decisions.addLast(new Decisions(s.nanos, d));
      while (decisions.size() > DECISIONS) {
        decisions.removeFirst();
      }
    }
  }

  /** The newest sample, null before the first. */
  @Nullable Sample latest() {
    synchronized (lock) {
      return recent.peekLast();
    }
  }

  /** The sample before the newest, null with fewer than two. */
  @Nullable Sample previous() {
    synchronized (lock) {
      if (recent.size() < 2) {
        return null;
      }
      var it = recent.descendingIterator();
      it.next();
      return it.next();
    }
  }

  /** The oldest of the recent samples (about ten seconds back), null before the first. */
  @Nullable Sample oldest() {
    synchronized (lock) {
      return recent.peekFirst();
    }
  }

  /** The decision counters, oldest first. */
  List<Decisions> decisions() {
    synchronized (lock) {
      return new ArrayList<>(decisions);
    }
  }
}
