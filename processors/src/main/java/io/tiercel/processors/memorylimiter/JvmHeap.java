package io.tiercel.processors.memorylimiter;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The running JVM's heap. Usage after a collection comes from the collectors' notifications ({@link
 * GarbageCollectionNotificationInfo}: usage of every heap pool after each collection, young ones
 * included); the pools' {@code getCollectionUsage()} is no substitute on G1 under JDK 17, whose old
 * generation's value changes only after a full collection. Notifications arrive on the JMX
 * notification thread, shortly after the collection.
 */
final class JvmHeap implements HeapSource {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final boolean explicitGcDisabled = explicitGcDisabled();
  private final NotificationListener listener = this::onNotification;
  private final Object lock = new Object();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private volatile long afterLast = -1;
  private volatile long collections;

  @Override
  public long used() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  @Override
  public long collections() {
    return collections;
  }

  @Override
  public long usedAfterLastCollection() {
    return afterLast;
  }

  /**
   * {@code System.gc()}, tried again (up to 10 times, 20 ms apart) when no collection happened: G1
   * on JDK 17 skips an explicit full collection while a thread is inside a JNI critical region
   * (native LZ4 compression in the Kafka producer is one), and the load tool saw it return at once
   * with the garbage still there. Not repeated when {@code -XX:+DisableExplicitGC} makes it a no-op
   * anyway.
   */
  @Override
  public void gc() {
    for (int attempt = 0; attempt < (explicitGcDisabled ? 1 : 10); attempt++) {
      long before = collectionCount();
      System.gc();
      if (collectionCount() != before) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static long collectionCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private static boolean explicitGcDisabled() {
    try {
      return Boolean.parseBoolean(
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
              .getVMOption("DisableExplicitGC")
              .getValue());
    } catch (RuntimeException e) {
      return false; // not HotSpot: try
    }
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (!emitters.isEmpty()) {
        return;
      }
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) {
          e.addNotificationListener(listener, null, null);
          emitters.add(e);
        }
      }
    }
  }

  @Override
  public void stop() {
    synchronized (lock) {
      for (NotificationEmitter e : emitters) {
        try {
          e.removeNotificationListener(listener);
        } catch (ListenerNotFoundException ignored) {
          // already gone
        }
      }
      emitters.clear();
    }
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    Map<String, MemoryUsage> after =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
            .getGcInfo()
            .getMemoryUsageAfterGc();
    if (!after.keySet().containsAll(heapPools)) {
      return; // a collector that reports part of the heap (e.g. a concurrent phase) says nothing of
      // the whole
    }
    long sum = 0;
    for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
      if (heapPools.contains(e.getKey())) {
        sum += e.getValue().getUsed();
      }
    }
    synchronized (
        lock) { // one notification thread in practice; the lock keeps value and count in step
      afterLast = sum;
      collections++;
    }
  }
}
