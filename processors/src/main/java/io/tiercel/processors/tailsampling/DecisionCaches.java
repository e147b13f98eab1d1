package io.tiercel.processors.tailsampling;

import com.google.protobuf.ByteString;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The collector's decision caches: the ids of traces decided as sampled, and of those decided as
 * not sampled, so late spans follow the decision, with the time of the decision (for {@code
 * sampling_late_span_age}). Each keeps at most its configured size in least-recently-used order (0
 * = off). Not thread-safe: the processor uses it under its lock.
 */
final class DecisionCaches {
  private final @Nullable Lru sampled;
  private final @Nullable Lru notSampled;

  DecisionCaches(TailSamplingConfig.DecisionCache sizes) {
    sampled = lru(sizes.sampledCacheSize());
    notSampled = lru(sizes.nonSampledCacheSize());
  }

  /** The cached decision for a trace: true = sampled, false = not sampled, null = unknown. */
  @Nullable Boolean get(ByteString id) {
    if (sampled != null && sampled.get(id) != null) {
      return Boolean.TRUE;
    }
    if (notSampled != null && notSampled.get(id) != null) {
      return Boolean.FALSE;
    }
    return null;
  }

  /** When the cached decision for a trace was taken (epoch millis), or null when none is cached. */
  @Nullable Long decidedAtMillis(ByteString id) {
    Long at = sampled == null ? null : sampled.get(id);
    return at != null || notSampled == null ? at : notSampled.get(id);
  }

  /** Remembers a decision taken at {@code atMillis} (a cache of size 0 remembers nothing). */
  void remember(ByteString id, boolean wasSampled, long atMillis) {
    Lru c = wasSampled ? sampled : notSampled;
    if (c != null) {
      c.put(id, atMillis);
    }
  }

  private static @Nullable Lru lru(int size) {
    return size <= 0 ? null : new Lru(size);
  }

  /**
   * A decision cache: trace ids in least-recently-used order, at most {@code max} (the collector's
   * LRU caches). Always used under the processor's lock, so a plain linked map does: a Caffeine
   * cache's writes cost about half as much CPU per decided trace as its policies (see
   * "tail_sampling CPU (perf-ts)" in docs/BENCHMARKS.md).
   */
  private static final class Lru extends LinkedHashMap<ByteString, Long> {
    private static final long serialVersionUID = 1L;
    private final int max;

    Lru(int max) {
      // access order: a lookup makes the id the most recently used, as the collector's
      super(16, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteString, Long> eldest) {
      return size() > max;
    }
  }
}
