package io.tiercel.kafka.common.partition;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;

/**
 * Picks a record's partition the way {@link PartitionerType} says, so the producer is handed an
 * explicit partition and no client-side partitioner class is configured. Thread-safe; one per
 * exporter.
 */
public final class KeyPartitioner {
  private final PartitionerType type;
  private final IntUnaryOperator random;
  private final AtomicInteger next = new AtomicInteger();

  /** A partitioner drawing random partitions from {@link ThreadLocalRandom}. */
  public KeyPartitioner(PartitionerType type) {
    this(type, n -> ThreadLocalRandom.current().nextInt(n));
  }

  /**
   * @param random given {@code n}, returns a partition in {@code [0, n)} for records that are not
   *     hashed
   */
  public KeyPartitioner(PartitionerType type, IntUnaryOperator random) {
    this.type = Objects.requireNonNull(type, "type");
    this.random = Objects.requireNonNull(random, "random");
  }

  public PartitionerType type() {
    return type;
  }

  /**
   * The partition to hand the producer for a record with this key, or null when the producer picks
   * it ({@link PartitionerType#producerChooses()}).
   *
   * @param key the record key, or null
   * @param numPartitions partitions of the topic, at least 1
   */
  public @Nullable Integer choose(byte @Nullable [] key, int numPartitions) {
    return type.producerChooses() ? null : partition(key, numPartitions);
  }

  /**
   * The partition for a record with this key, under a type that assigns partitions itself.
   *
   * @throws IllegalStateException when the producer picks the partition under this type
   * @param key the record key, or null
   * @param numPartitions partitions of the topic, at least 1
   */
  public int partition(byte @Nullable [] key, int numPartitions) {
    if (numPartitions <= 0) {
      throw new IllegalArgumentException("numPartitions must be positive, got " + numPartitions);
    }
    if (type.producerChooses()) {
      throw new IllegalStateException(type + " leaves the partition to the producer");
    }
    if (type == PartitionerType.ROUND_ROBIN) {
      return Math.floorMod(next.getAndIncrement(), numPartitions);
    }
    if (key == null) {
      return random.applyAsInt(numPartitions);
    }
    return switch (type) {
      case SARAMA_COMPAT, FNV1A, FNV1A_RANDOM -> saramaFnv1a(key, numPartitions);
      case MURMUR2, MURMUR2_RANDOM -> Utils.toPositive(Hashes.murmur2(key)) % numPartitions;
      case CONSISTENT -> (int) (Hashes.crc32(key) % numPartitions);
      case CONSISTENT_RANDOM ->
          key.length == 0
              ? random.applyAsInt(numPartitions)
              : (int) (Hashes.crc32(key) % numPartitions);
      case ROUND_ROBIN, STICKY, LEAST_BACKUP -> throw new AssertionError("handled above");
    };
  }

  /**
   * Sarama: {@code p = int32(h) % n; if p < 0 { p = -p }}. librdkafka takes {@code abs} before an
   * unsigned modulo; both give the same partition for every hash, including {@code
   * Integer.MIN_VALUE}.
   */
  static int saramaFnv1a(byte[] key, int n) {
    int p = Hashes.fnv1a32(key) % n;
    return p < 0 ? -p : p;
  }
}
