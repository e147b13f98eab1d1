package io.tiercel.kafka.exporter;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The producer properties of an exporter config. */
final class ProducerProperties {
  private ProducerProperties() {}

  /**
   * The connection properties (brokers, client id, SASL, TLS; reads PEM files), the producer
   * settings, the timeouts derived from {@code timeout}, then {@code producer_config} over all of
   * them.
   */
  static Map<String, Object> of(KafkaExporterConfig c) {
    Map<String, Object> p = c.client().properties();
    ProducerSettings ps = c.producer();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, ps.requiredAcks().kafkaValue());
    if (ps.idempotence() != null) {
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ps.idempotence().toString());
    } else if (ps.requiredAcks() != Acks.ALL) {
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"); // idempotence needs acks=all
    }
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, ps.compression().kafkaName());
    int level = ps.compressionParams().level();
    if (level != -1) {
      switch (ps.compression()) {
        case GZIP -> p.put(ProducerConfig.COMPRESSION_GZIP_LEVEL_CONFIG, level);
        case ZSTD -> p.put(ProducerConfig.COMPRESSION_ZSTD_LEVEL_CONFIG, level);
        case LZ4 -> p.put(ProducerConfig.COMPRESSION_LZ4_LEVEL_CONFIG, level);
        case NONE, SNAPPY -> {}
      }
    }
    long linger = ps.linger().toMillis();
    p.put(ProducerConfig.LINGER_MS_CONFIG, linger);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, ps.batchSize());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ps.maxBrokerWriteBytes());
    // One attempt of the exporter is bounded by `timeout`: the producer gives up on a record (and
    // fails its
    // future) by then, so the helper's retry never re-sends a record the producer still holds.
    // producer.request_timeout / message_timeout, when set, replace what is derived here.
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
    p.putAll(c.producerProperties());
    return p;
  }
}
