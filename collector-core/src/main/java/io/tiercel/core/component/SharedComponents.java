package io.tiercel.core.component;

import io.tiercel.core.featuregate.FeatureGates;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The state that the components of one running service share across pipelines and signals: the
 * memory limiter's one checker per component, the file exporter's one writer per path. The service
 * creates one and hands it to every component it builds through {@link Settings#shared()}; it lives
 * as long as the service, so two services built from one {@link ComponentRegistry} share nothing
 * and a factory instance holds no state of its own.
 *
 * <p>Entries stay until the service goes: an entry that holds threads or files starts them when its
 * first user starts and stops them when its last user shuts down (the users count themselves), so a
 * service that is started again finds it ready to start again. Thread-safe.
 */
public final class SharedComponents {
  private final ConcurrentHashMap<Object, Object> entries = new ConcurrentHashMap<>();
  private final FeatureGates gates;

  private SharedComponents(FeatureGates gates) {
    this.gates = gates;
  }

  /**
   * An empty set with every feature gate at its default: one per service (or per test that builds
   * components by hand).
   */
  public static SharedComponents create() {
    return new SharedComponents(FeatureGates.defaults());
  }

  /** An empty set whose components see {@code gates} (the service's {@code --feature-gates}). */
  public static SharedComponents create(FeatureGates gates) {
    return new SharedComponents(Objects.requireNonNull(gates, "gates"));
  }

  /** The feature gates of the service these components belong to. */
  public FeatureGates featureGates() {
    return gates;
  }

  /**
   * The entry under {@code key}, made by {@code create} when there is none. Keys compare with
   * {@code equals}: a record of what makes two users share one state, such as the component's kind,
   * id and config ({@code memory_limiter}) or a file path ({@code file}). {@code create} runs at
   * most once per key and must do no I/O (threads and files start with the entry's first user).
   *
   * @throws IllegalStateException if the entry under {@code key} is not a {@code type}
   */
  public <V> V computeIfAbsent(Object key, Class<V> type, Supplier<? extends V> create) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(create, "create");
    Object entry =
        entries.computeIfAbsent(key, k -> Objects.requireNonNull(create.get(), "created entry"));
    if (!type.isInstance(entry)) {
      throw new IllegalStateException(
          "shared entry "
              + key
              + " is a "
              + entry.getClass().getName()
              + ", not a "
              + type.getName());
    }
    return type.cast(entry);
  }
}
