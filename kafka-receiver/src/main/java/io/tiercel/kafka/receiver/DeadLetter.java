package io.tiercel.kafka.receiver;

import io.tiercel.kafka.common.config.Passthrough;
import java.util.Map;

/**
 * {@code dead_letter}: where records go that cannot be decoded or that the pipeline refuses
 * permanently. The record is copied (key, value, headers) with headers describing the failure
 * ({@code tiercel.dlq.topic}, {@code .partition}, {@code .offset}, {@code .timestamp}, {@code
 * .error.class}, {@code .error.message}) and counts as done once the broker acknowledged the copy.
 * Without a topic such records are skipped, counted and logged (throttled).
 *
 * @param topic the dead-letter topic; empty (default) for none
 * @param producerConfig Kafka producer properties for the dead-letter producer, applied last (the
 *     receiver's client keys excepted); every value a string once built
 */
public record DeadLetter(String topic, Map<String, Object> producerConfig) {
  public static final DeadLetter NONE = new DeadLetter("", Map.of());

  public DeadLetter {
    topic = topic == null ? "" : topic.strip();
    producerConfig = Passthrough.producer("producer_config", producerConfig, Map.of());
  }

  /** True when a topic is set. */
  public boolean enabled() {
    return !topic.isEmpty();
  }
}
