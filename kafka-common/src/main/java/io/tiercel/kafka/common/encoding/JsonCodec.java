package io.tiercel.kafka.common.encoding;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;

/** The OTLP JSON mapping for record values; delegates to the core's OTLP JSON codec. */
final class JsonCodec {
  private JsonCodec() {}

  static byte[] marshal(OtlpData data) {
    throw new PermanentException("the otlp_json encoding is not available in this build yet");
  }

  static OtlpData unmarshal(Signal signal, byte[] value) {
    throw new PermanentException("the otlp_json encoding is not available in this build yet");
  }
}
