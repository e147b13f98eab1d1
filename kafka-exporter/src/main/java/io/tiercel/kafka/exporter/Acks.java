package io.tiercel.kafka.exporter;

import io.tiercel.core.config.Key;

/**
 * {@code producer.required_acks}: when the broker acknowledges a write. Accepts the collector's
 * numbers ({@code 0}, {@code 1}, {@code -1}) and Rotel's words ({@code none}, {@code one}, {@code
 * all}); the YAML spelling of each is its producer {@code acks} value.
 */
public enum Acks {
  @Key(value = "0", aliases = "none")
  NONE("0"),
  @Key(value = "1", aliases = "one")
  ONE("1"),
  @Key(value = "all", aliases = "-1")
  ALL("all");

  private final String kafkaValue;

  Acks(String kafkaValue) {
    this.kafkaValue = kafkaValue;
  }

  /** The producer's {@code acks}. */
  public String kafkaValue() {
    return kafkaValue;
  }
}
