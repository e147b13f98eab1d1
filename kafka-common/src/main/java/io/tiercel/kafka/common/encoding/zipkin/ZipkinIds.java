package io.tiercel.kafka.common.encoding.zipkin;

/** Hex ids between Zipkin (16 or 32 characters, leading zeros trimmed by some writers) and OTLP. */
final class ZipkinIds {
  private ZipkinIds() {}

  /** {@code hex} left-padded with zeros to {@code width} characters. */
  static String pad(String hex, int width) {
    if (hex.length() >= width) {
      return hex;
    }
    return "0".repeat(width - hex.length()) + hex;
  }
}
