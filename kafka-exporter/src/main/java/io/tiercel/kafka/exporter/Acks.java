package io.tiercel.kafka.exporter;

import java.util.Locale;

/**
 * {@code producer.required_acks}: when the broker acknowledges a write. Accepts the collector's
 * numbers ({@code 0}, {@code 1}, {@code -1}) and Rotel's words ({@code none}, {@code one}, {@code
 * all}).
 */
public enum Acks {
  NONE("0"),
  ONE("1"),
  ALL("all");

  private final String kafkaValue;

  Acks(String kafkaValue) {
    this.kafkaValue = kafkaValue;
  }

  /** The producer's {@code acks}. */
  public String kafkaValue() {
    return kafkaValue;
  }

  /** Parses a spelling; null when it is not one. */
  public static Acks parse(String s) {
    if (s == null) {
      return null;
    }
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "0", "none" -> NONE;
      case "1", "one" -> ONE;
      case "-1", "all" -> ALL;
      default -> null;
    };
  }
}
