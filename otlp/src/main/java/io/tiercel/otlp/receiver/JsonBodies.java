package io.tiercel.otlp.receiver;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;

/** OTLP/JSON request bodies. */
final class JsonBodies {
  /** False until the OTLP JSON codec is wired in: JSON requests then get 415. */
  static final boolean AVAILABLE = false;

  private JsonBodies() {}

  static OtlpData decode(Signal signal, byte[] body) {
    throw new PermanentException("OTLP/JSON is not supported yet");
  }
}
