package io.tiercel.otlp.receiver;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.pdata.json.OtlpJsonException;

/** OTLP/JSON request bodies, decoded with the core's OTLP JSON codec into parsed messages. */
final class JsonBodies {
  private JsonBodies() {}

  /**
   * Decodes an OTLP/JSON request of {@code signal}.
   *
   * @throws PermanentException naming the problem and where it is, when the body is not OTLP/JSON
   */
  static OtlpData decode(Signal signal, byte[] body) {
    try {
      return OtlpJson.decode(signal, body);
    } catch (OtlpJsonException e) {
      throw new PermanentException("malformed OTLP " + signal + " JSON: " + e.getMessage(), e);
    }
  }
}
