package io.tiercel.core.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Request-scoped information that travels with data through a pipeline: the client metadata (gRPC
 * metadata, HTTP headers, Kafka record headers) that receivers put there when asked to. Keys are
 * case-insensitive (stored lower-case), each with one or more values. Immutable.
 */
public final class Context {
  /** No metadata. */
  public static final Context EMPTY = new Context(Map.of());

  private final Map<String, List<String>> metadata;

  private Context(Map<String, List<String>> metadata) {
    this.metadata = metadata;
  }

  /** A context with the given metadata; keys are lower-cased, values copied. */
  public static Context of(Map<String, ? extends List<String>> metadata) {
    if (metadata.isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, List<String>> m = new TreeMap<>();
    metadata.forEach(
        (k, v) ->
            m.merge(
                k.toLowerCase(Locale.ROOT),
                List.copyOf(v),
                (a, b) -> {
                  List<String> all = new ArrayList<>(a);
                  all.addAll(b);
                  return List.copyOf(all);
                }));
    return new Context(Collections.unmodifiableMap(m));
  }

  /** All metadata, keys lower-case, sorted. */
  public Map<String, List<String>> metadata() {
    return metadata;
  }

  /** The values of {@code key} (case-insensitive), empty if absent. */
  public List<String> get(String key) {
    return metadata.getOrDefault(key.toLowerCase(Locale.ROOT), List.of());
  }

  /** The first value of {@code key}, if any. */
  public Optional<String> first(String key) {
    List<String> v = get(key);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** A copy with {@code key} set to {@code values} (replacing earlier values). */
  public Context with(String key, List<String> values) {
    TreeMap<String, List<String>> m = new TreeMap<>(metadata);
    m.put(key.toLowerCase(Locale.ROOT), List.copyOf(values));
    return new Context(Collections.unmodifiableMap(m));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Context c && c.metadata.equals(metadata);
  }

  @Override
  public int hashCode() {
    return metadata.hashCode();
  }

  @Override
  public String toString() {
    return "Context" + metadata;
  }
}
