package io.tiercel.kafka.receiver;

import java.util.List;

/**
 * {@code header_extraction}: record headers copied into the data as resource attributes {@code
 * kafka.header.<name>} (every header is also in the {@code Context} metadata regardless).
 *
 * @param extractHeaders switch (default false)
 * @param headers the header names to copy
 */
public record HeaderExtraction(boolean extractHeaders, List<String> headers) {
  public static final HeaderExtraction NONE = new HeaderExtraction(false, List.of());

  public HeaderExtraction {
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** True when there is something to copy. */
  boolean active() {
    return extractHeaders && !headers.isEmpty();
  }
}
