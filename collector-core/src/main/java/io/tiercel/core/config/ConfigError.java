package io.tiercel.core.config;

/**
 * One problem in a config: where ({@code exporters.kafka/traces.producer.compression}, or empty for
 * the whole document) and what, e.g. {@code "lz5" is not one of none, gzip, snappy, lz4, zstd}.
 */
public record ConfigError(String path, String message) {
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
