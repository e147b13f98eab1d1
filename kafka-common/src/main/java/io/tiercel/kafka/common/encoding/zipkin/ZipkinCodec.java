package io.tiercel.kafka.common.encoding.zipkin;

import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

/**
 * A list of Zipkin spans in one of Zipkin's wire formats, as OTLP traces. Stateless and
 * thread-safe.
 */
public enum ZipkinCodec {
  /** A {@code ListOfSpans} in Zipkin's proto3 schema. */
  PROTO3(SpanBytesDecoder.PROTO3, SpanBytesEncoder.PROTO3),
  /** A JSON array of Zipkin v2 spans. */
  JSON_V2(SpanBytesDecoder.JSON_V2, SpanBytesEncoder.JSON_V2),
  /** A JSON array of Zipkin v1 spans (read only: the collector writes v2). */
  JSON_V1(SpanBytesDecoder.JSON_V1, SpanBytesEncoder.JSON_V1),
  /** A Thrift list of Zipkin v1 spans (read only: the collector writes no Thrift). */
  THRIFT(SpanBytesDecoder.THRIFT, SpanBytesEncoder.THRIFT);

  private final SpanBytesDecoder decoder;
  private final SpanBytesEncoder encoder;

  ZipkinCodec(SpanBytesDecoder decoder, SpanBytesEncoder encoder) {
    this.decoder = decoder;
    this.encoder = encoder;
  }

  /**
   * Decodes a list of spans.
   *
   * @throws IllegalArgumentException when the bytes are not a list of spans in this format
   */
  public TracesData decode(byte[] value) {
    List<zipkin2.Span> spans = decoder.decodeList(value);
    if (spans.isEmpty() && !emptyList(value)) {
      throw new IllegalArgumentException("no " + this + " spans in " + value.length + " bytes");
    }
    return ZipkinToOtlp.traces(spans);
  }

  /** Encodes traces as a list of spans. */
  public byte[] encode(TracesData data) {
    return encoder.encodeList(OtlpToZipkin.spans(data));
  }

  /** True when the value is the format's empty list, which decodes to no spans legitimately. */
  private boolean emptyList(byte[] value) {
    if (value.length == 0) {
      return true; // Zipkin's own encoders write an empty list as no bytes
    }
    return switch (this) {
      case PROTO3 -> false;
      case JSON_V1, JSON_V2 ->
          new String(value, java.nio.charset.StandardCharsets.UTF_8).strip().equals("[]");
      // a Thrift list header: element type struct (12), then a 32-bit size of zero
      case THRIFT ->
          value.length == 5
              && value[0] == 12
              && value[1] == 0
              && value[2] == 0
              && value[3] == 0
              && value[4] == 0;
    };
  }
}
