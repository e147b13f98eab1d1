package io.tiercel.kafka.common.encoding;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.util.List;

/**
 * An encoding of record values: bytes to signal data and signal data to bytes, per signal. Every
 * encoding the Kafka receiver reads and the exporter writes is one. Implementations are stateless
 * and thread-safe; neither method blocks.
 */
public interface SignalCodec {
  /** The name a config uses for this encoding. */
  String id();

  /** True when values of {@code signal} can be read in this encoding. */
  boolean reads(Signal signal);

  /** True when data of {@code signal} can be written in this encoding. */
  boolean writes(Signal signal);

  /**
   * True when values are the OTLP {@code Export*ServiceRequest} protobuf bytes as they are, so that
   * they are checked and split as OTLP wire data.
   */
  default boolean isProto() {
    return false;
  }

  /**
   * Encodes data as a record value (may share the data's own bytes: never modify the result).
   *
   * @throws PermanentException when the data cannot be encoded
   */
  byte[] marshal(OtlpData data);

  /**
   * The record values of {@code data}: {@link #marshal}'s one value, or one per item for an
   * encoding whose value holds one item (the collector's {@code raw} logs).
   *
   * @throws PermanentException when the data cannot be encoded
   */
  default List<byte[]> marshalRecords(OtlpData data) {
    return List.of(marshal(data));
  }

  /**
   * Decodes a record value.
   *
   * @throws PermanentException when the value is not valid data of {@code signal} in this encoding
   */
  OtlpData unmarshal(Signal signal, byte[] value);
}
