package io.tiercel.kafka.exporter;

import io.tiercel.kafka.common.config.ClientConfig;
import io.tiercel.kafka.common.partition.PartitionerType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/** The producer properties of an exporter config. */
final class ProducerProperties {
  private ProducerProperties() {}

  /**
   * The connection properties (brokers, client id, SASL, TLS; reads PEM files), the producer
   * settings, the timeouts derived from {@code timeout}, and {@code producer_config} (which sets
   * none of the others: see {@link #owned}).
   *
   * @param client {@code c}'s client settings, built once by the caller
   */
  static Map<String, Object> of(KafkaExporterConfig c, ClientConfig client) {
    return of(c, client.properties());
  }

  /**
   * {@link #of(KafkaExporterConfig, ClientConfig)} over connection properties the caller built
   * (with {@link ClientConfig#properties(io.tiercel.core.component.Host)}, which adds the {@code
   * OAUTHBEARER} token source).
   */
  static Map<String, Object> of(KafkaExporterConfig c, Map<String, Object> clientProperties) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    ProducerSettings ps = c.producer();
    p.put(ProducerConfig.ACKS_CONFIG, ps.requiredAcks().kafkaValue());
    if (ps.idempotence() != null) {
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ps.idempotence().toString());
    } else if (ps.requiredAcks() != Acks.ALL) {
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"); // idempotence needs acks=all
    }
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, ps.compression().kafkaName());
    String levelProperty = levelProperty(ps);
    if (levelProperty != null) {
      p.put(levelProperty, ps.compressionParams().level());
    }
    long linger = ps.linger().toMillis();
    p.put(ProducerConfig.LINGER_MS_CONFIG, linger);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, ps.batchSize());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ps.maxBrokerWriteBytes());
    // One attempt of the exporter is bounded by `timeout`: the producer gives up on a record (and
    // fails its future) by then, so the helper's retry never re-sends a record the producer still
    // holds. producer.request_timeout / message_timeout, when set, replace what is derived here.
    long timeout = c.timeout().toMillis();
    long request =
        ps.requestTimeout() != null
            ? ps.requestTimeout().toMillis()
            : Math.max(1, Math.min(30_000, timeout - linger));
    long delivery =
        ps.messageTimeout() != null
            ? ps.messageTimeout().toMillis()
            : Math.max(timeout, request + linger);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, request));
    p.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        (int) Math.min(Integer.MAX_VALUE, Math.max(delivery, request + linger)));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    if (ps.retries() != null) {
      p.put(ProducerConfig.RETRIES_CONFIG, ps.retries());
    }
    if (ps.retryBackoff() != null) {
      p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, ps.retryBackoff().toMillis());
    }
    if (ps.retryBackoffMax() != null) {
      p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, ps.retryBackoffMax().toMillis());
    }
    if (c.partitionerType().producerChooses()) {
      p.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "true");
      p.put(
          ProducerConfig.PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE_CONFIG,
          Boolean.toString(c.partitionerType() == PartitionerType.LEAST_BACKUP));
    }
    p.putAll(c.producerConfig());
    return p;
  }

  /**
   * The properties {@link #of} derives from first-class keys, each with its YAML key (relative to
   * the exporter's config): {@code producer_config} must not set them.
   *
   * @param partitioner the partitioning in effect
   * @param partitionerKey the key that chose it ({@code partitioner} or {@code record_partitioner})
   */
  static Map<String, String> owned(
      ClientConfig client,
      ProducerSettings ps,
      PartitionerType partitioner,
      String partitionerKey) {
    Map<String, String> o = new LinkedHashMap<>(client.ownedProperties());
    o.put(ProducerConfig.ACKS_CONFIG, "producer.required_acks");
    if (ps.idempotence() != null || ps.requiredAcks() != Acks.ALL) {
      o.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "producer.idempotence");
    }
    o.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "producer.compression");
    String levelProperty = levelProperty(ps);
    if (levelProperty != null) {
      o.put(levelProperty, "producer.compression_params.level");
    }
    o.put(ProducerConfig.LINGER_MS_CONFIG, "producer.linger");
    o.put(ProducerConfig.BATCH_SIZE_CONFIG, "producer.batch_size");
    o.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "producer.max_broker_write_bytes");
    o.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "producer.request_timeout");
    o.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "producer.message_timeout");
    o.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "timeout");
    if (ps.retries() != null) {
      o.put(ProducerConfig.RETRIES_CONFIG, "producer.retries");
    }
    if (ps.retryBackoff() != null) {
      o.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "producer.retry_backoff");
    }
    if (ps.retryBackoffMax() != null) {
      o.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "producer.retry_backoff_max");
    }
    if (partitioner.producerChooses()) {
      o.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, partitionerKey);
      o.put(ProducerConfig.PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE_CONFIG, partitionerKey);
    }
    return o;
  }

  /** The codec's level property when a level is set, else null. */
  private static @Nullable String levelProperty(ProducerSettings ps) {
    if (ps.compressionParams().level() == -1) {
      return null;
    }
    return switch (ps.compression()) {
      case GZIP -> ProducerConfig.COMPRESSION_GZIP_LEVEL_CONFIG;
      case ZSTD -> ProducerConfig.COMPRESSION_ZSTD_LEVEL_CONFIG;
      case LZ4 -> ProducerConfig.COMPRESSION_LZ4_LEVEL_CONFIG;
      case NONE, SNAPPY -> null;
    };
  }
}
