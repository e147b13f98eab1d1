package io.tiercel.kafka.receiver;

import io.tiercel.kafka.common.config.ClientConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The consumer properties of a receiver config. */
final class ConsumerProperties {
  private ConsumerProperties() {}

  /**
   * The client properties, the group settings, byte-array deserializers, Kafka's auto-commit off,
   * and {@code consumer_config} (which sets none of the others: see {@link #owned}). Holds secrets:
   * never log.
   *
   * @param client the properties of {@code c}'s client settings, built once by the caller
   */
  static Map<String, Object> of(KafkaReceiverConfig c, Map<String, Object> client) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, c.groupId());
    if (!c.groupInstanceId().isEmpty()) {
      p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, c.groupInstanceId());
    }
    if (!c.rackId().isEmpty()) {
      p.put(ConsumerConfig.CLIENT_RACK_CONFIG, c.rackId());
    }
    p.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, c.initialOffset().name().toLowerCase(Locale.ROOT));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) c.sessionTimeout().toMillis());
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) c.heartbeatInterval().toMillis());
    List<RebalanceStrategy> strategies =
        c.groupRebalanceStrategy() != null
            ? List.of(c.groupRebalanceStrategy())
            : c.groupRebalanceStrategies();
    p.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        strategies.stream().map(RebalanceStrategy::assignor).collect(Collectors.joining(",")));
    p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, c.minFetchSize());
    if (c.maxFetchSize() > 0) {
      p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, c.maxFetchSize());
    }
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, c.maxPartitionFetchSize());
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) c.maxFetchWait().toMillis());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Map<String, Object> extra = c.consumerConfig();
    if ("consumer".equalsIgnoreCase((String) extra.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG))) {
      // the consumer group protocol (KIP-848) assigns on the broker and rejects client-side
      // assignors
      p.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
      p.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
      p.remove(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    }
    p.putAll(extra);
    return p;
  }

  /**
   * The properties {@link #of} derives from first-class keys, each with its YAML key (relative to
   * the receiver's config): {@code consumer_config} must not set them. {@code enable.auto.commit}
   * is not among them: it has a message of its own.
   */
  static Map<String, String> owned(
      ClientConfig client, String groupInstanceId, String rackId, int maxFetchSize) {
    Map<String, String> o = new LinkedHashMap<>(client.ownedProperties());
    o.put(ConsumerConfig.GROUP_ID_CONFIG, "group_id");
    if (!groupInstanceId.isEmpty()) {
      o.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "group_instance_id");
    }
    if (!rackId.isEmpty()) {
      o.put(ConsumerConfig.CLIENT_RACK_CONFIG, "rack_id");
    }
    o.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "initial_offset");
    o.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "session_timeout");
    o.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "heartbeat_interval");
    o.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "group_rebalance_strategies");
    o.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "min_fetch_size");
    if (maxFetchSize > 0) {
      o.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "max_fetch_size");
    }
    o.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "max_partition_fetch_size");
    o.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "max_fetch_wait");
    return o;
  }
}
