package io.tiercel.processors.batch;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;
import java.util.List;

/**
 * Config of the {@code batch} processor.
 *
 * @param timeout a batch is sent this long after its first item arrived, whatever its size (200ms);
 *     0 sends every request at once, capped only by {@code send_batch_max_size}
 * @param sendBatchSize items (spans, data points, log records) that trigger a send (8192)
 * @param sendBatchMaxSize upper limit of a batch; larger input is split (0 = no limit)
 * @param metadataKeys client metadata keys whose distinct values get their own batches (and are
 *     kept in the batch's context, so an exporter can forward them)
 * @param metadataCardinalityLimit how many distinct value combinations may exist at once (1000)
 */
public record BatchConfig(
    Duration timeout,
    int sendBatchSize,
    int sendBatchMaxSize,
    List<String> metadataKeys,
    int metadataCardinalityLimit) {
  public BatchConfig {
    metadataKeys = metadataKeys == null ? List.of() : List.copyOf(metadataKeys);
    if (timeout.isNegative()) {
      throw new InvalidValueException("timeout", "must not be negative, got " + timeout);
    }
    if (sendBatchSize < 0) {
      throw new InvalidValueException(
          "send_batch_size", "must not be negative, got " + sendBatchSize);
    }
    if (sendBatchMaxSize < 0) {
      throw new InvalidValueException(
          "send_batch_max_size", "must not be negative, got " + sendBatchMaxSize);
    }
    if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
      throw new InvalidValueException(
          "send_batch_max_size",
          "must be greater than or equal to send_batch_size ("
              + sendBatchSize
              + "), got "
              + sendBatchMaxSize);
    }
    if (metadataCardinalityLimit < 1 && !metadataKeys.isEmpty()) {
      throw new InvalidValueException(
          "metadata_cardinality_limit", "must be positive when metadata_keys is set");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String k : metadataKeys) {
      if (!seen.add(k.toLowerCase(java.util.Locale.ROOT))) {
        throw new InvalidValueException(
            "metadata_keys", "duplicate entry \"" + k + "\" (keys are case-insensitive)");
      }
    }
  }

  public static final BatchConfig DEFAULT =
      new BatchConfig(Duration.ofMillis(200), 8192, 0, List.of(), 1000);
}
