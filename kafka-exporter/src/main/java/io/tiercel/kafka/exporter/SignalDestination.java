package io.tiercel.kafka.exporter;

import io.tiercel.kafka.common.encoding.EncodingRef;
import org.jspecify.annotations.Nullable;

/**
 * {@code traces}, {@code metrics}, {@code logs}: per-signal destination.
 *
 * @param topic the topic; null takes the deprecated top-level {@code topic}, else {@code
 *     otlp_spans}, {@code otlp_metrics}, {@code otlp_logs}
 * @param encoding a built-in encoding or an encoding extension's id; null takes the top-level
 *     {@code encoding}, else {@code otlp_proto}
 * @param topicFromMetadataKey a client metadata key whose value, when present, is the topic (wins
 *     over every other topic setting)
 * @param messageKeyFromMetadataKey a client metadata key whose value, when present, is the record
 *     key (exclusive with partitioning by trace id or resource)
 */
public record SignalDestination(
    @Nullable String topic,
    @Nullable EncodingRef encoding,
    @Nullable String topicFromMetadataKey,
    @Nullable String messageKeyFromMetadataKey) {
  /** Nothing set: every value from the top level or the defaults. */
  public static final SignalDestination UNSET = new SignalDestination(null, null, null, null);

  public SignalDestination {
    topic = blankToNull(topic);
    topicFromMetadataKey = blankToNull(topicFromMetadataKey);
    messageKeyFromMetadataKey = blankToNull(messageKeyFromMetadataKey);
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
