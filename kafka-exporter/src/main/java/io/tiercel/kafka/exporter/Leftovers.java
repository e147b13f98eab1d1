package io.tiercel.kafka.exporter;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an attempt left to do for a request, keyed by the identity of the request's data: the
 * exporter helper retries with the same data object, so the next attempt sends only the records
 * that failed. Keys are weak: when the helper gives up on a request and drops its data, the entry
 * goes with it. Thread-safe.
 *
 * @param <V> what is remembered per request
 */
final class Leftovers<V> {
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  private final ConcurrentHashMap<Ref, V> map = new ConcurrentHashMap<>();

  private static final class Ref extends WeakReference<Object> {
    private final int hash;

    Ref(Object referent, ReferenceQueue<Object> q) {
      super(referent, q);
      hash = System.identityHashCode(referent);
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Ref r)) {
        return false;
      }
      Object mine = get();
      return mine != null && mine == r.get();
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  void put(Object key, V value) {
    expunge();
    map.put(new Ref(key, queue), value);
  }

  /** Removes and returns what is remembered for {@code key}, or null. */
  V remove(Object key) {
    expunge();
    return map.remove(new Ref(key, null));
  }

  int size() {
    expunge();
    return map.size();
  }

  private void expunge() {
    java.lang.ref.Reference<?> r;
    while ((r = queue.poll()) != null) {
      map.remove(r);
    }
  }
}
