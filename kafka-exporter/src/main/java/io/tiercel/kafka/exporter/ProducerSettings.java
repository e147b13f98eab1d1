package io.tiercel.kafka.exporter;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;

/**
 * {@code producer}: how records are written.
 *
 * @param maxMessageBytes largest record value before compression (1000000); larger requests are split
 * @param maxBrokerWriteBytes largest produce request ({@code max.request.size}; 104857600); at least
 *     {@code max_message_bytes}
 * @param requiredAcks {@code 0}/{@code none}, {@code 1}/{@code one} (default), {@code -1}/{@code all}
 * @param compression {@code none} (default), {@code gzip}, {@code snappy}, {@code lz4}, {@code zstd}
 * @param compressionParams the codec's level
 * @param flushMaxMessages accepted for the collector's configs; the Java client bounds batches by bytes
 *     ({@code batch_size})
 * @param batchSize bytes per partition batch ({@code batch.size}; 1048576)
 * @param allowAutoTopicCreation accepted for the collector's configs; the broker's
 *     {@code auto.create.topics.enable} decides
 * @param linger how long a partition's batch waits for more records ({@code linger.ms}; 10ms)
 */
public record ProducerSettings(
    int maxMessageBytes,
    int maxBrokerWriteBytes,
    String requiredAcks,
    Compression compression,
    CompressionParams compressionParams,
    int flushMaxMessages,
    int batchSize,
    boolean allowAutoTopicCreation,
    Duration linger) {
  public static final ProducerSettings DEFAULT = new ProducerSettings(1_000_000, 104_857_600, "1", Compression.NONE,
      CompressionParams.DEFAULT, 10_000, 1_048_576, true, Duration.ofMillis(10));

  public ProducerSettings {
    if (maxMessageBytes < 1) {
      throw new InvalidValueException("max_message_bytes", "must be positive, got " + maxMessageBytes);
    }
    if (maxBrokerWriteBytes < maxMessageBytes) {
      throw new InvalidValueException("max_broker_write_bytes",
          "must be at least max_message_bytes (" + maxMessageBytes + "), got " + maxBrokerWriteBytes);
    }
    Acks acks = Acks.parse(requiredAcks);
    if (acks == null) {
      throw new InvalidValueException("required_acks",
          "\"" + requiredAcks + "\" is not one of 0, 1, -1, none, one, all");
    }
    requiredAcks = acks.kafkaValue();
    if (compression == null) {
      compression = Compression.NONE;
    }
    if (compressionParams == null) {
      compressionParams = CompressionParams.DEFAULT;
    }
    compressionParams.check(compression);
    if (flushMaxMessages < 0) {
      throw new InvalidValueException("flush_max_messages", "must not be negative, got " + flushMaxMessages);
    }
    if (batchSize < 0) {
      throw new InvalidValueException("batch_size", "must not be negative, got " + batchSize);
    }
    if (linger == null || linger.isNegative()) {
      throw new InvalidValueException("linger", "must not be negative, got " + linger);
    }
  }

  /** The acknowledgement mode. */
  public Acks acks() {
    return Acks.parse(requiredAcks);
  }

  /**
   * {@code producer.compression_params}.
   *
   * @param level the codec level; -1 is the codec's default. gzip 1..9, zstd -131072..22, lz4 1..17
   */
  public record CompressionParams(int level) {
    public static final CompressionParams DEFAULT = new CompressionParams(-1);

    void check(Compression c) {
      if (level == -1) {
        return;
      }
      boolean ok = switch (c) {
        case GZIP -> level >= 1 && level <= 9;
        case ZSTD -> level >= -131072 && level <= 22;
        case LZ4 -> level >= 1 && level <= 17;
        case NONE, SNAPPY -> false;
      };
      if (!ok) {
        String range = switch (c) {
          case GZIP -> "1..9 or -1";
          case ZSTD -> "-131072..22 or -1";
          case LZ4 -> "1..17 or -1";
          case NONE, SNAPPY -> "-1 (" + c + " has no levels)";
        };
        throw new InvalidValueException("compression_params.level",
            "level " + level + " is not valid for " + c + ": use " + range);
      }
    }
  }
}
