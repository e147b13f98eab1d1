package io.tiercel.kafka.exporter;

/** {@code producer.compression}: the codec of the record batches. */
public enum ProducerCompression {
  NONE,
  GZIP,
  SNAPPY,
  LZ4,
  ZSTD;

  /** The producer's {@code compression.type}. */
  public String kafkaName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return kafkaName();
  }
}
