package io.tiercel.kafka.common.encoding;

import io.tiercel.core.config.Key;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;

/**
 * How a Kafka record value holds OTLP data: {@code otlp_proto} (the {@code Export*ServiceRequest}
 * protobuf bytes, byte-identical to Rotel's {@code protobuf}) or {@code otlp_json} (the OTLP JSON
 * mapping, Rotel's {@code json}). Profiles are {@code otlp_proto} only: Tiercel has no OTLP/JSON
 * codec for them.
 */
public enum RecordEncoding {
  @Key("otlp_proto")
  OTLP_PROTO("otlp_proto"),
  @Key("otlp_json")
  OTLP_JSON("otlp_json");

  private final String id;

  RecordEncoding(String id) {
    this.id = id;
  }

  /** The YAML spelling. */
  public String id() {
    return id;
  }

  /**
   * True when values are serialized protobuf, so that the wire-level split applies to the value as
   * is.
   */
  public boolean isProto() {
    return this == OTLP_PROTO;
  }

  /**
   * Encodes data as a record value. For {@code otlp_proto} this is the data's own bytes (shared:
   * never modify).
   *
   * @throws PermanentException when the data cannot be encoded
   */
  public byte[] marshal(OtlpData data) {
    return switch (this) {
      case OTLP_PROTO -> data.bytes();
      case OTLP_JSON -> JsonCodec.marshal(data);
    };
  }

  /**
   * Decodes a record value. For {@code otlp_proto} nothing is parsed until the data is read (the
   * bytes are checked down to the item level when items are counted).
   *
   * @throws PermanentException when the value is not valid in this encoding
   */
  public OtlpData unmarshal(Signal signal, byte[] value) {
    if (this == OTLP_JSON) {
      return JsonCodec.unmarshal(signal, value);
    }
    return switch (signal) {
      case TRACES -> Traces.ofBytes(value);
      case METRICS -> Metrics.ofBytes(value);
      case LOGS -> Logs.ofBytes(value);
      case PROFILES -> Profiles.ofBytes(value);
    };
  }

  @Override
  public String toString() {
    return id;
  }
}
