package io.tiercel.kafka.exporter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Key;
import io.tiercel.core.config.OptionalSection;
import io.tiercel.kafka.common.partition.PartitionerType;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code record_partitioner}: the collector's choice of partitioning, at most one of {@code
 * sticky_key}, {@code round_robin}, {@code least_backup} and {@code extension}, or the form of
 * earlier collector releases, {@code type: sarama_compatible | sticky | round_robin | least_backup
 * | custom}. Each maps onto a {@link PartitionerType}; {@link #type()} of nothing set is the
 * collector's default, {@code sticky_key} with the Sarama-compatible hasher.
 *
 * @param type the earlier releases' single key naming the strategy
 * @param stickyKey records with a key go to the partition of the key's hash; {@code hasher} picks
 *     the hash
 * @param roundRobin every record to the next partition in turn, keys ignored
 * @param leastBackup one partition per batch, chosen among those with the fewest buffered records,
 *     keys ignored
 * @param extension a partitioner extension's component id: Tiercel has no partitioner extensions,
 *     so it is rejected
 */
public record RecordPartitionerConfig(
    @Key("type") @Nullable Strategy strategy,
    @OptionalSection @Nullable StickyKey stickyKey,
    @OptionalSection @Nullable NoSettings roundRobin,
    @OptionalSection @Nullable NoSettings leastBackup,
    @Nullable String extension) {

  /** The values of the earlier releases' {@code type} key. */
  public enum Strategy {
    SARAMA_COMPATIBLE,
    STICKY,
    ROUND_ROBIN,
    LEAST_BACKUP,
    CUSTOM
  }

  /** {@code sticky_key.hasher}: the hash that maps a record key to its partition. */
  public enum Hasher {
    /** Sarama's FNV-1a: the collector's default. */
    SARAMA_COMPAT,
    /** The Java client's murmur2. */
    MURMUR2
  }

  /**
   * {@code sticky_key}.
   *
   * @param hasher {@code sarama_compat} (default) or {@code murmur2}
   */
  public record StickyKey(@Nullable Hasher hasher) {
    public StickyKey {
      hasher = hasher == null ? Hasher.SARAMA_COMPAT : hasher;
    }
  }

  /** A strategy without settings, written {@code round_robin: {}}. */
  public record NoSettings() {}

  public RecordPartitionerConfig {
    List<String> set = new ArrayList<>();
    if (stickyKey != null) {
      set.add("sticky_key");
    }
    if (roundRobin != null) {
      set.add("round_robin");
    }
    if (leastBackup != null) {
      set.add("least_backup");
    }
    if (extension != null) {
      set.add("extension");
    }
    if (strategy != null && strategy != Strategy.CUSTOM && !set.isEmpty()) {
      throw new IllegalArgumentException(
          "type cannot be combined with " + String.join(", ", set) + "; set only one of them");
    }
    if (set.size() > 1) {
      throw new IllegalArgumentException(
          "at most one of sticky_key, round_robin, least_backup, extension may be set, got "
              + String.join(", ", set));
    }
    if (strategy == Strategy.CUSTOM && extension == null) {
      throw new InvalidValueException("extension", "is required when type is custom");
    }
    if (extension != null) {
      throw new InvalidValueException(
          "extension",
          extension.isEmpty()
              ? "must not be empty"
              : "\""
                  + extension
                  + "\": partitioner extensions are not supported by Tiercel; use sticky_key,"
                  + " round_robin or least_backup");
    }
  }

  /** The partitioning this config asks for. */
  public PartitionerType type() {
    if (stickyKey != null) {
      return stickyKey.hasher() == Hasher.MURMUR2
          ? PartitionerType.MURMUR2
          : PartitionerType.SARAMA_COMPAT;
    }
    if (roundRobin != null) {
      return PartitionerType.ROUND_ROBIN;
    }
    if (leastBackup != null) {
      return PartitionerType.LEAST_BACKUP;
    }
    if (strategy == null) {
      return PartitionerType.SARAMA_COMPAT;
    }
    return switch (strategy) {
      case SARAMA_COMPATIBLE, CUSTOM -> PartitionerType.SARAMA_COMPAT;
      case STICKY -> PartitionerType.STICKY;
      case ROUND_ROBIN -> PartitionerType.ROUND_ROBIN;
      case LEAST_BACKUP -> PartitionerType.LEAST_BACKUP;
    };
  }
}
