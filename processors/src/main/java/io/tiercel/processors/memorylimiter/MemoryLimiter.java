package io.tiercel.processors.memorylimiter;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.util.DaemonThreads;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The state of one {@code memory_limiter} component, shared by the processors of every pipeline and
 * signal that name it (as the collector shares one limiter per component id): one checker thread,
 * one heap source, one refusal flag, one pair of forced-GC intervals and one set of log lines. The
 * running service holds it in its {@link io.tiercel.core.component.SharedComponents} under its
 * {@link Key}, so two services share nothing; each processor's {@code start} {@linkplain #acquire()
 * acquires} it and its {@code shutdown} {@linkplain #release() releases} it: the first acquire
 * starts the checker, the last release stops it, and a later acquire (the service started again)
 * starts it again.
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
  /** What one shared limiter stands for in its service: the component id and its config. */
  record Key(ComponentId id, MemoryLimiterConfig config) {}

  private final Key key;
  private final Logger logger;
  private final HeapSource heap;
  private final Clock clock;
  private final long checkMillis;
  private final long soft;
  private final long hard;
  private final long minGcSoftMillis;
  private final long minGcHardMillis;
  private final Object lifecycleLock = new Object();
  private final Object checkLock = new Object();
  private volatile boolean limited;
  // Guarded by lifecycleLock: lock order lifecycleLock, then checkLock.
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
  MemoryLimiter(Key key, Logger logger, Clock clock, long maxHeap, HeapSource heap) {
    this.key = key;
    this.logger = logger;
    this.heap = heap;
    this.clock = clock;
    MemoryLimiterConfig cfg = key.config();
    this.checkMillis = Math.max(1, cfg.checkInterval().toMillis());
    this.hard = cfg.hardLimitBytes(maxHeap);
    this.soft = cfg.softLimitBytes(maxHeap);
    this.minGcSoftMillis = cfg.minGcIntervalWhenSoftLimited().toMillis();
    this.minGcHardMillis = cfg.minGcIntervalWhenHardLimited().toMillis();
  }

  /** One more user; the first starts listening to the heap and the checker thread. */
  void acquire() {
    synchronized (lifecycleLock) {
      if (references++ > 0) {
        return;
      }
      long gen;
      synchronized (checkLock) {
        heap.start();
        seenCollections = heap.collections();
        gen = ++generation;
      }
      checker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(key.id(), "check"));
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

  /** One user fewer; the last stops the checker and the heap listener. */
  void release() {
    synchronized (lifecycleLock) {
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
    }
  }

  /** True while the checker runs; for tests. */
  boolean running() {
    synchronized (lifecycleLock) {
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
