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
 * {@code producer_config} / {@code consumer_config}: raw Kafka client properties laid over the ones
 * Tiercel derives from the config (so they win, as Rotel's custom config does). Names are checked
 * against the client's own list so that a typo is an error, not an ignored warning, and values are
 * parsed and validated as the client will.
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
   * @throws InvalidValueException naming the first bad property ({@code <key>.<name>})
   */
  public static Map<String, String> producer(String key, Map<String, ?> raw) {
    return check(key, raw, ProducerConfig.configDef(), "producer");
  }

  /** Checks {@code consumer_config}; see {@link #producer}. */
  public static Map<String, String> consumer(String key, Map<String, ?> raw) {
    return check(key, raw, ConsumerConfig.configDef(), "consumer");
  }

  private static Map<String, String> check(
      String key, Map<String, ?> raw, ConfigDef def, String what) {
    Map<String, ConfigDef.ConfigKey> names = def.configKeys();
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
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
