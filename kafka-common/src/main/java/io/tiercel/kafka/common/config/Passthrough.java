package io.tiercel.kafka.common.config;

import io.tiercel.core.config.InvalidValueException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code producer_config} / {@code consumer_config}: raw Kafka client properties added to the ones
 * Tiercel derives from the config. Names are checked against the client's own list so that a typo
 * is an error, not an ignored warning; values are parsed and validated as the client will; and a
 * property that a first-class key already sets (for example {@code compression.type} beside {@code
 * producer.compression}) is an error naming both, so that no setting silently overrides another.
 */
public final class Passthrough {
  /** Properties Tiercel must own: the serializers and the broker list (use {@code brokers}). */
  private static final Set<String> RESERVED =
      Set.of(
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);

  private Passthrough() {}

  /**
   * Checks {@code producer_config} and returns it with every value as a string.
   *
   * @param key the YAML key of the map, for error paths
   * @param owned the properties first-class keys set, each with its YAML key (relative to the
   *     record that holds {@code key})
   * @throws InvalidValueException naming the first bad property ({@code <key>.<name>})
   */
  public static Map<String, Object> producer(
      String key, Map<String, ?> raw, Map<String, String> owned) {
    return check(key, raw, owned, ProducerConfig.configDef(), "producer");
  }

  /** Checks {@code consumer_config}; see {@link #producer}. */
  public static Map<String, Object> consumer(
      String key, Map<String, ?> raw, Map<String, String> owned) {
    return check(key, raw, owned, ConsumerConfig.configDef(), "consumer");
  }

  /**
   * Rejects a property of {@code checked} (a map {@link #producer} or {@link #consumer} returned)
   * that a first-class key sets; for a map checked before those keys were known.
   *
   * @throws InvalidValueException naming the first conflict
   */
  public static void rejectConflicts(
      String key, Map<String, ?> checked, Map<String, String> owned) {
    for (String name : checked.keySet()) {
      String firstClass = owned.get(name);
      if (firstClass != null) {
        throw conflict(key, name, firstClass);
      }
    }
  }

  private static InvalidValueException conflict(String key, String name, String firstClass) {
    return new InvalidValueException(
        key + "." + name, "conflicts with " + firstClass + "; set one of them");
  }

  private static Map<String, Object> check(
      String key, Map<String, ?> raw, Map<String, String> owned, ConfigDef def, String what) {
    Map<String, ConfigDef.ConfigKey> names = def.configKeys();
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : raw.entrySet()) {
      String name = e.getKey();
      Object v = e.getValue();
      if (!names.containsKey(name)) {
        throw new InvalidValueException(
            key + "." + name, "\"" + name + "\" is not a Kafka " + what + " config");
      }
      if (RESERVED.contains(name)) {
        throw new InvalidValueException(
            key + "." + name,
            "is set by Tiercel"
                + (name.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) ? "; use brokers" : "")
                + " and cannot be overridden");
      }
      if (owned.containsKey(name)) {
        throw conflict(key, name, owned.get(name));
      }
      if (v == null || v instanceof Map<?, ?>) {
        throw new InvalidValueException(key + "." + name, "expected a scalar or a list");
      }
      String text =
          v instanceof List<?> l
              ? String.join(",", l.stream().map(String::valueOf).toList())
              : String.valueOf(v);
      ConfigDef.ConfigKey k = names.get(name);
      try {
        Object parsed = ConfigDef.parseType(name, text, k.type);
        if (k.validator != null) {
          k.validator.ensureValid(name, parsed);
        }
      } catch (ConfigException bad) {
        // the client's own message, e.g. "Invalid value abc for configuration linger.ms: Not a
        // number of type LONG"
        throw new InvalidValueException(key + "." + name, bad.getMessage());
      }
      out.put(name, text);
    }
    return Collections.unmodifiableMap(out);
  }
}
