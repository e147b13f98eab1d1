package io.tiercel.testing.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a test needs to talk to a running Kafka, a {@link KafkaBroker} or a {@link KafkaCluster}:
 * the bootstrap servers, an admin client, producers and consumers of byte arrays, and read-backs of
 * a topic's records and offsets and a group's commits. All on the PLAINTEXT listener.
 */
public interface KafkaClients {
  /** {@code 127.0.0.1:port[,127.0.0.1:port...]} of the PLAINTEXT listener(s). */
  String bootstrapServers();

  /**
   * Client settings ({@code bootstrap.servers} and what the listener needs), as a fresh mutable
   * map. Add what the client needs and pass it to a producer, consumer or admin.
   */
  Map<String, Object> clientConfig();

  /** A shared admin client, created on first use and closed with its owner. Do not close it. */
  Admin admin();

  /**
   * A new producer of byte arrays; {@code props} override the defaults (bootstrap servers and
   * serializers). The caller closes it.
   */
  default KafkaProducer<byte[], byte[]> producer(Map<String, ?> props) {
    Map<String, Object> cfg = clientConfig();
    cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    cfg.putAll(props);
    return new KafkaProducer<>(cfg);
  }

  /** {@link #producer(Map)} taking {@link Properties}. */
  default KafkaProducer<byte[], byte[]> producer(Properties props) {
    return producer(toMap(props));
  }

  /**
   * A new consumer of byte arrays; {@code props} override the defaults (bootstrap servers,
   * deserializers, {@code auto.offset.reset=earliest}). Set {@code group.id} to use a group. The
   * caller closes it.
   */
  default KafkaConsumer<byte[], byte[]> consumer(Map<String, ?> props) {
    Map<String, Object> cfg = clientConfig();
    cfg.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    cfg.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cfg.putAll(props);
    return new KafkaConsumer<>(cfg);
  }

  /** {@link #consumer(Map)} taking {@link Properties}. */
  default KafkaConsumer<byte[], byte[]> consumer(Properties props) {
    return consumer(toMap(props));
  }

  /**
   * Reads {@code topic} from the beginning of every partition (no consumer group, nothing
   * committed) until at least {@code expectedCount} records arrived, and returns them in arrival
   * order (partition order is kept within a partition). It returns as soon as the count is reached,
   * so it may return more records than expected when more were there.
   *
   * @throws AssertionError when fewer than {@code expectedCount} arrive within {@code timeout}; the
   *     message says how many did
   */
  default List<ConsumerRecord<byte[], byte[]>> consumeAll(
      String topic, int expectedCount, Duration timeout) {
    return TopicReads.consumeAll(this, topic, expectedCount, timeout);
  }

  /**
   * The offsets {@code group} committed, by partition (empty when it committed nothing). Use it to
   * check that a consumer commits only what was processed.
   */
  default Map<TopicPartition, Long> committedOffsets(String group) {
    return TopicReads.committedOffsets(this, group);
  }

  /**
   * The log-end offset of every partition of {@code topic} (the number of records ever written to
   * each).
   */
  default Map<TopicPartition, Long> endOffsets(String topic) {
    return TopicReads.endOffsets(this, topic);
  }

  private static Map<String, Object> toMap(Properties props) {
    Map<String, Object> m = new HashMap<>();
    props.forEach((k, v) -> m.put(String.valueOf(k), v));
    return m;
  }
}
