package io.tiercel.processors.ottl.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Indexing into maps and slices with {@code ["key"]} and {@code [0]}. */
public final class Keys {
  private Keys() {}

  /** Evaluates a key: a string (map key) or an int64 (slice index). */
  public static Object key(Getter g, CurrentItem c) {
    Object k = Values.norm(g.get(c));
    if (k instanceof String || k instanceof Long) {
      return k;
    }
    throw new OttlRuntimeException("key must be a string or an int64, got " + Values.typeName(k));
  }

  /** Follows {@code keys[from..]} into {@code v}; a missing map key gives nil. */
  public static @Nullable Object index(@Nullable Object v, Getter[] keys, int from, CurrentItem c) {
    for (int i = from; i < keys.length; i++) {
      if (v == null) {
        return null;
      }
      Object k = key(keys[i], c);
      if (v instanceof Map<?, ?> m) {
        if (!(k instanceof String s)) {
          throw new OttlRuntimeException("unable to resolve an integer index in a map");
        }
        v = m.get(s);
      } else if (v instanceof List<?> l) {
        if (!(k instanceof Long idx)) {
          throw new OttlRuntimeException("unable to resolve a string index in a slice");
        }
        if (idx < 0 || idx >= l.size()) {
          throw new OttlRuntimeException("index " + idx + " out of bounds");
        }
        v = l.get((int) (long) idx);
      } else {
        throw new OttlRuntimeException("type " + Values.typeName(v) + " does not support indexing");
      }
    }
    return v;
  }

  /**
   * Sets {@code value} at {@code keys[from..]} inside {@code root} (a mutable copy), creating maps
   * for missing string keys; returns the new root.
   */
  @SuppressWarnings("unchecked")
  public static Object setIn(
      @Nullable Object root, Getter[] keys, int from, @Nullable Object value, CurrentItem c) {
    if (from >= keys.length) {
      return value;
    }
    Object k = key(keys[from], c);
    if (k instanceof String s) {
      Map<String, Object> m =
          root instanceof Map<?, ?> ? (Map<String, Object>) root : new LinkedHashMap<>();
      m.put(s, setIn(m.get(s), keys, from + 1, value, c));
      return m;
    }
    if (!(root instanceof List<?>)) {
      throw new OttlRuntimeException("unable to set an integer index on " + Values.typeName(root));
    }
    List<Object> l = (List<Object>) root;
    long idx = (Long) k;
    if (idx < 0 || idx >= l.size()) {
      throw new OttlRuntimeException("index " + idx + " out of bounds");
    }
    l.set((int) idx, setIn(l.get((int) idx), keys, from + 1, value, c));
    return l;
  }

  /** Wraps a whole-value accessor with keys. */
  public static Accessor keyed(Accessor base, Getter[] keys) {
    if (keys.length == 0) {
      return base;
    }
    return new Accessor() {
      @Override
      public Object get(CurrentItem c) {
        return index(base.get(c), keys, 0, c);
      }

      @Override
      public void set(CurrentItem c, Object v) {
        Object root = Values.copy(base.get(c));
        base.set(c, setIn(root, keys, 0, Values.copy(v), c));
      }
    };
  }
}
