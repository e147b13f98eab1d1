package io.tiercel.kafka.common.partition;

import java.util.Locale;

/**
 * How a keyed record picks its partition. A fleet of producers writing one topic must agree, so
 * each client's default is here: the collector's Sarama-compatible FNV-1a, the Java client's
 * murmur2, and librdkafka's (Rotel, Envoy, kcat) {@code consistent_random} and friends. Records
 * without a key go to a random partition under every hashing type; {@link #ROUND_ROBIN}, {@link
 * #STICKY} and {@link #LEAST_BACKUP} ignore keys. In YAML a type is its {@link #id()}, with {@code
 * -} for {@code _} accepted too (Rotel writes {@code consistent-random}).
 */
public enum PartitionerType {
  /**
   * {@code abs(int32(fnv1a32(key)) % n)}: the OpenTelemetry Collector's default (Sarama's hash
   * partitioner).
   */
  SARAMA_COMPAT,
  /** {@code toPositive(murmur2(key)) % n}: the Java client's default. */
  MURMUR2,
  /**
   * librdkafka: {@code crc32(key) % n}; an empty key goes to partition {@code crc32("") % n = 0}.
   */
  CONSISTENT,
  /** librdkafka's default: {@code crc32(key) % n}, random for an empty key. */
  CONSISTENT_RANDOM,
  /** librdkafka: Java-compatible murmur2 (same partitions as {@link #MURMUR2}). */
  MURMUR2_RANDOM,
  /**
   * librdkafka: {@code abs(int32(fnv1a32(key))) % n}, the same partitions as {@link
   * #SARAMA_COMPAT}.
   */
  FNV1A,
  /** librdkafka: as {@link #FNV1A}. */
  FNV1A_RANDOM,
  /** Every record to the next partition in turn, keys ignored. */
  ROUND_ROBIN,
  /**
   * Keys ignored; the producer picks: one partition until a batch of {@code batch.size} bytes is
   * full, then another at random (the client's built-in sticky partitioner, with {@code
   * partitioner.ignore.keys} on and adaptive partitioning off).
   */
  STICKY,
  /**
   * Keys ignored; the producer picks: one partition until a batch is full, then the next one
   * favouring partitions with the fewest buffered batches (the client's built-in adaptive
   * partitioner, with {@code partitioner.ignore.keys} on). The collector takes the least backed-up
   * partition outright; the Java client weighs every partition by the inverse of its backlog.
   */
  LEAST_BACKUP;

  /**
   * True when the producer picks the partition ({@link #STICKY}, {@link #LEAST_BACKUP}): the record
   * is handed over without one, and the client's partitioner settings decide.
   */
  public boolean producerChooses() {
    return this == STICKY || this == LEAST_BACKUP;
  }

  /** The YAML spelling, e.g. {@code consistent_random}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return id();
  }
}
