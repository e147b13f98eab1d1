package io.tiercel.kafka.exporter;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code producer}: how records are written.
 *
 * @param maxMessageBytes largest record value before compression (1000000); larger requests are
 *     split
 * @param maxBrokerWriteBytes largest produce request ({@code max.request.size}; 104857600); at
 *     least {@code max_message_bytes}
 * @param requiredAcks {@code 0}/{@code none}, {@code 1}/{@code one} (default), {@code -1}/{@code
 *     all}; null takes the default
 * @param compression {@code none} (default), {@code gzip}, {@code snappy}, {@code lz4}, {@code
 *     zstd}
 * @param compressionParams the codec's level
 * @param flushMaxMessages accepted for the collector's configs; the Java client bounds batches by
 *     bytes ({@code batch_size})
 * @param batchSize bytes per partition batch ({@code batch.size}; 1048576)
 * @param allowAutoTopicCreation accepted for the collector's configs; the broker's {@code
 *     auto.create.topics.enable} decides
 * @param linger how long a partition's batch waits for more records ({@code linger.ms}; 10ms)
 * @param retries the producer's own retries of a failed batch ({@code retries}); null: the client's
 *     default
 * @param retryBackoff first wait between the producer's retries ({@code retry.backoff.ms}); null:
 *     100ms
 * @param retryBackoffMax longest wait between them ({@code retry.backoff.max.ms}); null: 1s
 * @param messageTimeout how long a record may take to be acknowledged ({@code
 *     delivery.timeout.ms}); null: derived from {@code timeout}
 * @param requestTimeout how long one produce request may take ({@code request.timeout.ms}); null:
 *     derived from {@code timeout}
 * @param idempotence the idempotent producer ({@code enable.idempotence}); null: on with acks
 *     {@code all}, off otherwise; true needs {@code required_acks: all}
 */
public record ProducerSettings(
    int maxMessageBytes,
    int maxBrokerWriteBytes,
    Acks requiredAcks,
    ProducerCompression compression,
    CompressionParams compressionParams,
    int flushMaxMessages,
    int batchSize,
    boolean allowAutoTopicCreation,
    Duration linger,
    @Nullable Integer retries,
    @Nullable Duration retryBackoff,
    @Nullable Duration retryBackoffMax,
    @Nullable Duration messageTimeout,
    @Nullable Duration requestTimeout,
    @Nullable Boolean idempotence) {
  public static final ProducerSettings DEFAULT =
      new ProducerSettings(
          1_000_000,
          104_857_600,
          Acks.ONE,
          ProducerCompression.NONE,
          CompressionParams.DEFAULT,
          10_000,
          1_048_576,
          true,
          Duration.ofMillis(10),
          null,
          null,
          null,
          null,
          null,
          null);

  public ProducerSettings {
    if (maxMessageBytes < 1) {
      throw new InvalidValueException(
          "max_message_bytes", "must be positive, got " + maxMessageBytes);
    }
    if (maxBrokerWriteBytes < maxMessageBytes) {
      throw new InvalidValueException(
          "max_broker_write_bytes",
          "must be at least max_message_bytes ("
              + maxMessageBytes
              + "), got "
              + maxBrokerWriteBytes);
    }
    if (requiredAcks == null) {
      requiredAcks = Acks.ONE;
    }
    if (compression == null) {
      compression = ProducerCompression.NONE;
    }
    if (compressionParams == null) {
      compressionParams = CompressionParams.DEFAULT;
    }
    compressionParams.check(compression);
    if (flushMaxMessages < 0) {
      throw new InvalidValueException(
          "flush_max_messages", "must not be negative, got " + flushMaxMessages);
    }
    if (batchSize < 0) {
      throw new InvalidValueException("batch_size", "must not be negative, got " + batchSize);
    }
    if (linger == null || linger.isNegative()) {
      throw new InvalidValueException("linger", "must not be negative, got " + linger);
    }
    if (retries != null && retries < 0) {
      throw new InvalidValueException("retries", "must not be negative, got " + retries);
    }
    positive("retry_backoff", retryBackoff);
    positive("retry_backoff_max", retryBackoffMax);
    positive("message_timeout", messageTimeout);
    positive("request_timeout", requestTimeout);
    if (retryBackoff != null
        && retryBackoffMax != null
        && retryBackoffMax.compareTo(retryBackoff) < 0) {
      throw new InvalidValueException(
          "retry_backoff_max",
          "must not be less than retry_backoff (" + retryBackoff + "), got " + retryBackoffMax);
    }
    if (messageTimeout != null
        && requestTimeout != null
        && messageTimeout.compareTo(requestTimeout.plus(linger)) < 0) {
      throw new InvalidValueException(
          "message_timeout",
          "must be at least request_timeout + linger ("
              + requestTimeout.plus(linger)
              + "), got "
              + messageTimeout);
    }
    if (Boolean.TRUE.equals(idempotence) && requiredAcks != Acks.ALL) {
      throw new InvalidValueException("idempotence", "needs required_acks: all");
    }
  }

  private static void positive(String key, @Nullable Duration d) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new InvalidValueException(key, "must be positive, got " + d);
    }
  }

  /**
   * {@code producer.compression_params}.
   *
   * @param level the codec level; -1 is the codec's default. gzip 1..9, zstd -131072..22, lz4 1..17
   */
  public record CompressionParams(int level) {
    public static final CompressionParams DEFAULT = new CompressionParams(-1);

    void check(ProducerCompression c) {
      if (level == -1) {
        return;
      }
      boolean ok =
          switch (c) {
            case GZIP -> level >= 1 && level <= 9;
            case ZSTD -> level >= -131072 && level <= 22;
            case LZ4 -> level >= 1 && level <= 17;
            case NONE, SNAPPY -> false;
          };
      if (!ok) {
        String range =
            switch (c) {
              case GZIP -> "1..9 or -1";
              case ZSTD -> "-131072..22 or -1";
              case LZ4 -> "1..17 or -1";
              case NONE, SNAPPY -> "-1 (" + c + " has no levels)";
            };
        throw new InvalidValueException(
            "compression_params.level",
            "level " + level + " is not valid for " + c + ": use " + range);
      }
    }
  }
}
