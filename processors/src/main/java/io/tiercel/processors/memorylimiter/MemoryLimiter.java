package io.tiercel.processors.memorylimiter;

import io.tiercel.core.component.ComponentId;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The state of one {@code memory_limiter} component, shared by the processors of every pipeline and
 * signal that name it (as the collector shares one limiter per component id): one checker thread,
 * one heap source, one refusal flag, one pair of forced-GC intervals and one set of log lines. The
 * factory that owns it keeps it in a map under its {@link Key}; each processor's {@code start}
 * {@linkplain #acquire() acquires} it and its {@code shutdown} {@linkplain #release() releases} it:
 * the first acquire starts the checker, the last release stops it and drops the entry from the map,
 * and a later acquire starts it again.
 *
 * <p>The rule, per check (see the module README for why it differs from the collector's):
 *
 * <ol>
 *   <li>heap used now (garbage included) at or below the soft limit: accept;
 *   <li>above the hard limit: force a collection if {@code min_gc_interval_when_hard_limited} has
 *       passed since the last forced one and decide on the usage right after it; otherwise refuse;
 *   <li>between the limits: if a collection (the JVM's own or a forced one) ended less than {@code
 *       min_gc_interval_when_soft_limited} ago and left the heap at or below the soft limit,
 *       accept: what is above the limit now was allocated since and has not survived anything yet.
 *       Otherwise force a collection if that interval has passed since the last forced one and
 *       decide on the usage after it; otherwise refuse.
 * </ol>
 */
final class MemoryLimiter {
  /**
   * What one shared limiter stands for: the component id, and the config and clock it was created
   * with, so that two services in one JVM (the demo runs both tiers on one registry) with the same
   * id but different configs do not run on one another's limits.
   */
  record Key(ComponentId id, MemoryLimiterConfig config, Clock clock) {}

  private final Key key;
  private final Map<Key, MemoryLimiter> owner;
  private final Logger logger;
  private final HeapSource heap;
  private final Clock clock;
  private final long checkMillis;
  private final long soft;
  private final long hard;
  private final long minGcSoftMillis;
  private final long minGcHardMillis;
  private final Object checkLock = new Object();
  private volatile boolean limited;
  // Guarded by owner (the factory's map): lock order owner, then checkLock.
  private int references;
  private ScheduledExecutorService checker;
  // Guarded by checkLock (checks run on the checker thread; tests call check() from theirs).
  private long generation;
  private long seenCollections;
  private long afterGc = -1;
  private long afterGcAtMillis;
  private long lastForcedGcMillis;
  private boolean forcedOnce;

  /** No I/O and no thread: those start with the first {@link #acquire()}. */
  MemoryLimiter(
      Key key, Map<Key, MemoryLimiter> owner, Logger logger, long maxHeap, HeapSource heap) {
    this.key = key;
    this.owner = owner;
    this.logger = logger;
    this.heap = heap;
    this.clock = key.clock();
    MemoryLimiterConfig cfg = key.config();
    this.checkMillis = Math.max(1, cfg.checkInterval().toMillis());
    this.hard = cfg.hardLimitBytes(maxHeap);
    this.soft = cfg.softLimitBytes(maxHeap);
    this.minGcSoftMillis = cfg.minGcIntervalWhenSoftLimited().toMillis();
    this.minGcHardMillis = cfg.minGcIntervalWhenHardLimited().toMillis();
  }

  /**
   * The limiter of {@code key} in {@code owner}, created there (over a new heap source) when
   * absent.
   */
  static MemoryLimiter of(
      Map<Key, MemoryLimiter> owner,
      Key key,
      Logger logger,
      long maxHeap,
      Supplier<HeapSource> heaps) {
    synchronized (owner) {
      return owner.computeIfAbsent(
          key, k -> new MemoryLimiter(k, owner, logger, maxHeap, heaps.get()));
    }
  }

  /** One more user; the first starts listening to the heap and the checker thread. */
  void acquire() {
    synchronized (owner) {
      owner.putIfAbsent(key, this); // back in the map after a full stop
      if (references++ > 0) {
        return;
      }
      long gen;
      synchronized (checkLock) {
        heap.start();
        seenCollections = heap.collections();
        gen = ++generation;
      }
      checker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "tiercel-memory-limiter-" + key.id());
                t.setDaemon(true);
                return t;
              });
      logger.info(
          "Memory limiter configured: {} soft limit {} MiB, hard limit {} MiB of heap that "
              + "survives collection, checked every {} ms",
          key.id(),
          soft >> 20,
          hard >> 20,
          checkMillis);
      checker.scheduleWithFixedDelay(
          () -> scheduledCheck(gen), 0, checkMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * One user fewer; the last stops the checker and the heap listener and drops the limiter from the
   * map.
   */
  void release() {
    synchronized (owner) {
      if (references == 0 || --references > 0) {
        return;
      }
      checker.shutdownNow();
      checker = null;
      synchronized (checkLock) {
        generation++; // a check already waiting for the lock does nothing
        heap.stop();
        limited = false;
      }
      owner.remove(key, this);
    }
  }

  /** True while the checker runs; for tests. */
  boolean running() {
    synchronized (owner) {
      return checker != null;
    }
  }

  private void scheduledCheck(long gen) {
    synchronized (checkLock) {
      if (gen == generation) {
        check();
      }
    }
  }

  /** One measurement and decision; package-private for tests. */
  void check() {
    synchronized (checkLock) {
      long now = clock.millis();
      long collections = heap.collections();
      if (collections != seenCollections) {
        seenCollections = collections;
        long after = heap.usedAfterLastCollection();
        if (after >= 0) {
          afterGc = after;
          afterGcAtMillis = now;
        }
      }
      long used = heap.used();
      long decided = used;
      if (used > hard) {
        if (gcAllowed(now, minGcHardMillis)) {
          logger.warn(
              "Memory usage is above hard limit. Forcing a GC. ({}: {} MiB)", key.id(), used >> 20);
          decided = forceGc(now);
        }
      } else if (used > soft) {
        if (afterGc >= 0 && afterGc <= soft && now - afterGcAtMillis < minGcSoftMillis) {
          decided = afterGc;
        } else if (gcAllowed(now, minGcSoftMillis)) {
          logger.info(
              "Memory usage is above soft limit. Forcing a GC. ({}: {} MiB)", key.id(), used >> 20);
          decided = forceGc(now);
        }
      }
      boolean over = decided > soft;
      if (over != limited) {
        limited = over;
        if (over) {
          logger.warn(
              "Memory usage is above soft limit. Refusing data. ({}: {} MiB > {} MiB)",
              key.id(),
              decided >> 20,
              soft >> 20);
        } else {
          logger.info(
              "Memory usage back within limits. Resuming normal operation. ({}: {} MiB)",
              key.id(),
              decided >> 20);
        }
      }
    }
  }

  private boolean gcAllowed(long now, long minIntervalMillis) {
    return !forcedOnce || now - lastForcedGcMillis >= minIntervalMillis;
  }

  private long forceGc(long now) {
    heap.gc();
    forcedOnce = true;
    lastForcedGcMillis = now;
    long after = heap.used();
    afterGc = after;
    afterGcAtMillis = now;
    logger.info("Memory usage after GC. ({}: {} MiB)", key.id(), after >> 20);
    return after;
  }

  /** True while data is refused; read on the request path (one volatile read). */
  boolean limited() {
    return limited;
  }

  /** The refusal's message. */
  String refusal() {
    return "data refused due to high memory usage (processor "
        + key.id()
        + ", soft limit "
        + (soft >> 20)
        + " MiB)";
  }
}
