package io.tiercel.kafka.common.encoding;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.pdata.json.OtlpJsonException;

/** The OTLP JSON mapping for record values; delegates to the core's OTLP JSON codec. */
final class JsonCodec {
  private JsonCodec() {}

  static byte[] marshal(OtlpData data) {
    try {
      return OtlpJson.encode(data);
    } catch (UnsupportedOperationException e) { // profiles: protobuf only
      throw new PermanentException(e.getMessage(), e);
    }
  }

  static OtlpData unmarshal(Signal signal, byte[] value) {
    try {
      return OtlpJson.decode(signal, value);
    } catch (OtlpJsonException e) {
      throw new PermanentException("malformed OTLP JSON " + signal + ": " + e.getMessage(), e);
    } catch (UnsupportedOperationException e) { // profiles: protobuf only
      throw new PermanentException(e.getMessage(), e);
    }
  }
}
