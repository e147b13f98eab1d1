package io.tiercel.kafka.common.partition;

import java.util.Locale;

/**
 * How a keyed record picks its partition. A fleet of producers writing one topic must agree, so
 * each client's default is here: the collector's Sarama-compatible FNV-1a, the Java client's
 * murmur2, and librdkafka's (Rotel, Envoy, kcat) {@code consistent_random} and friends. Records
 * without a key go to a random partition under every hashing type. In YAML a type is its {@link
 * #id()}, with {@code -} for {@code _} accepted too (Rotel writes {@code consistent-random}).
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
  ROUND_ROBIN;

  /** The YAML spelling, e.g. {@code consistent_random}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return id();
  }
}
