package io.tiercel.kafka.common.encoding;

import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.kafka.common.encoding.zipkin.ZipkinCodec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The built-in encodings of record values: {@code otlp_proto} (the {@code Export*ServiceRequest}
 * protobuf bytes, byte-identical to Rotel's {@code protobuf}), {@code otlp_json} (the OTLP JSON
 * mapping), Zipkin's trace formats {@code zipkin_proto} (proto3 {@code ListOfSpans}), {@code
 * zipkin_json} (a JSON array of v2 spans) and {@code zipkin_thrift} (a Thrift list of v1 spans,
 * read only), and the log formats {@code raw} (the value is a log record's body bytes; written one
 * record per log record) and {@code json} (logs: the value is a JSON object, the body of one log
 * record; other signals: OTLP JSON, Rotel's {@code json}), as the collector names them. Profiles
 * are {@code otlp_proto} only: Tiercel has no OTLP/JSON codec for them.
 */
public enum RecordEncoding implements SignalCodec {
  OTLP_PROTO("otlp_proto", null, true, "protobuf"),
  OTLP_JSON("otlp_json", null, true),
  ZIPKIN_PROTO("zipkin_proto", ZipkinCodec.PROTO3, true),
  ZIPKIN_JSON("zipkin_json", ZipkinCodec.JSON_V2, true),
  ZIPKIN_THRIFT("zipkin_thrift", ZipkinCodec.THRIFT, false),
  /** Zipkin's v1 JSON, read only: the {@code zipkin_encoding} extension's {@code version: v1}. */
  ZIPKIN_JSON_V1("zipkin_json_v1", ZipkinCodec.JSON_V1, false),
  /** Logs only: the value is one log record's body, as bytes. */
  RAW("raw", null, true),
  /**
   * Logs: a JSON object, the body of one log record (the collector's {@code json}); traces and
   * metrics: OTLP JSON (Rotel's {@code json}). Written as OTLP JSON.
   */
  JSON("json", null, true);

  private final String id;
  private final @Nullable ZipkinCodec zipkin;
  private final boolean writable;
  private final List<String> aliases;

  RecordEncoding(String id, @Nullable ZipkinCodec zipkin, boolean writable, String... aliases) {
    this.id = id;
    this.zipkin = zipkin;
    this.writable = writable;
    this.aliases = List.of(aliases);
  }

  /** Other names of this encoding (Rotel's). */
  public List<String> aliases() {
    return aliases;
  }

  /** The YAML spelling. */
  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean reads(Signal signal) {
    return switch (this) {
      case RAW -> signal == Signal.LOGS;
      case JSON -> signal != Signal.PROFILES;
      default -> zipkin == null || signal == Signal.TRACES;
    };
  }

  @Override
  public boolean writes(Signal signal) {
    return writable && reads(signal);
  }

  /**
   * True when values are serialized protobuf, so that the wire-level split applies to the value as
   * is.
   */
  @Override
  public boolean isProto() {
    return this == OTLP_PROTO;
  }

  /**
   * Encodes data as a record value. For {@code otlp_proto} this is the data's own bytes (shared:
   * never modify).
   *
   * @throws PermanentException when the data cannot be encoded in this encoding
   */
  @Override
  public byte[] marshal(OtlpData data) {
    if (!writes(data.signal())) {
      throw new PermanentException(id + " cannot write " + data.signal());
    }
    if (zipkin != null) {
      return zipkin.encode(((Traces) data).message());
    }
    return switch (this) {
      case OTLP_JSON, JSON -> JsonCodec.marshal(data);
      case RAW -> {
        List<byte[]> values = marshalRecords(data);
        if (values.size() != 1) {
          throw new PermanentException(
              "raw writes one value per log record with a body, not " + values.size());
        }
        yield values.get(0);
      }
      default -> data.bytes();
    };
  }

  /**
   * The record values of {@code data}: one per log record with a non-empty body for {@code raw} (as
   * the collector's exporter writes it; a record with an empty body writes nothing), else {@link
   * #marshal}'s one value.
   */
  @Override
  public List<byte[]> marshalRecords(OtlpData data) {
    if (this != RAW) {
      return List.of(marshal(data));
    }
    if (!writes(data.signal())) {
      throw new PermanentException(id + " cannot write " + data.signal());
    }
    List<byte[]> out = new java.util.ArrayList<>();
    for (io.opentelemetry.proto.common.v1.AnyValue body : LogBodies.bodies(data)) {
      byte[] v = LogBodies.raw(body);
      if (v.length > 0) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * Decodes a record value. For {@code otlp_proto} nothing is parsed until the data is read (the
   * bytes are checked down to the item level when items are counted).
   *
   * @throws PermanentException when the value is not valid in this encoding
   */
  @Override
  public OtlpData unmarshal(Signal signal, byte[] value) {
    if (!reads(signal)) {
      throw new PermanentException(id + " holds no " + signal);
    }
    if (zipkin != null) {
      try {
        return Traces.of(zipkin.decode(value));
      } catch (RuntimeException e) {
        throw new PermanentException("malformed " + id + " " + signal + ": " + e.getMessage(), e);
      }
    }
    if (this == RAW) {
      return LogBodies.of(
          List.of(
              io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                  .setBytesValue(com.google.protobuf.ByteString.copyFrom(value))
                  .build()),
          java.time.Clock.systemUTC());
    }
    if (this == JSON && signal == Signal.LOGS) {
      return LogBodies.of(List.of(LogBodies.jsonObject(value, id)), java.time.Clock.systemUTC());
    }
    if (this == OTLP_JSON || this == JSON) {
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
