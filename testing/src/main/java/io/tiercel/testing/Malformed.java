package io.tiercel.testing;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;

/**
 * Requests that are well-formed down to the items but not inside them: what a wire check that stops
 * at the span lets through, and no protobuf parser accepts.
 */
public final class Malformed {
  private Malformed() {}

  /**
   * A traces request of {@code spans} spans whose first span has an attribute key that is not valid
   * UTF-8 (protobuf {@code string} fields must be).
   */
  public static byte[] tracesWithInvalidUtf8Key(int spans, long seed) {
    TracesData.Builder b = TestData.tracesData(1, spans, seed).toBuilder();
    b.getResourceSpansBuilder(0)
        .getScopeSpansBuilder(0)
        .getSpansBuilder(0)
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("poison-key")
                .setValue(AnyValue.newBuilder().setStringValue("v")));
    byte[] bytes = b.build().toByteArray();
    byte[] key = "poison-key".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + key.length <= bytes.length; i++) {
      boolean match = true;
      for (int j = 0; j < key.length && match; j++) {
        match = bytes[i + j] == key[j];
      }
      if (match) {
        bytes[i] = (byte) 0xFF; // never valid in UTF-8
        return bytes;
      }
    }
    throw new IllegalStateException("key not found");
  }
}
