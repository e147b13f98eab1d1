package io.tiercel.core.component;

import java.util.Map;

/**
 * Implemented by a component that can tell more about its state than the shared internal metrics do
 * (the Kafka receiver's assigned partitions and records in flight, the tail-sampling processor's
 * policies): the {@code zpages} extension's status page and its JSON read it about once a second,
 * under the component's status key.
 *
 * <p>Optional and additive: a component that does not implement it is shown from its metrics alone.
 */
public interface LiveStatus {
  /**
   * A snapshot of the component's state as a JSON-ready tree: maps with string keys, lists,
   * strings, numbers, booleans and nulls (keys in {@code snake_case}). Called from the status
   * page's HTTP thread while the component runs (and possibly before start or after shutdown): must
   * be thread-safe, must not block, should cost microseconds, and must never contain a secret.
   */
  Map<String, Object> liveStatus();
}
