package io.tiercel.kafka.common.encoding.ext;

import io.tiercel.kafka.common.encoding.EncodingExtensionFactory;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.encoding.SignalCodec;

/**
 * The {@code zipkin_encoding} extension: Zipkin spans as traces. {@code version} selects Zipkin's
 * v1 or v2 JSON model; the proto3 schema is v2 only and Thrift v1 only, so for them it changes
 * nothing, as in the collector. v1 JSON and Thrift are read only.
 */
public final class ZipkinEncodingFactory
    extends EncodingExtensionFactory<ZipkinEncodingFactory.Config> {
  /** Zipkin's wire formats. */
  public enum Protocol {
    ZIPKIN_PROTO,
    ZIPKIN_JSON,
    ZIPKIN_THRIFT
  }

  /** Zipkin's span models. */
  public enum Version {
    V1,
    V2
  }

  /**
   * The extension's config.
   *
   * @param protocol {@code zipkin_proto} (default), {@code zipkin_json} or {@code zipkin_thrift}
   * @param version {@code v2} (default) or {@code v1}
   */
  public record Config(Protocol protocol, Version version) {}

  @Override
  public String type() {
    return "zipkin_encoding";
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config createDefaultConfig() {
    return new Config(Protocol.ZIPKIN_PROTO, Version.V2);
  }

  @Override
  public SignalCodec codec(Config config) {
    return switch (config.protocol()) {
      case ZIPKIN_PROTO -> RecordEncoding.ZIPKIN_PROTO;
      case ZIPKIN_THRIFT -> RecordEncoding.ZIPKIN_THRIFT;
      case ZIPKIN_JSON ->
          config.version() == Version.V1
              ? RecordEncoding.ZIPKIN_JSON_V1
              : RecordEncoding.ZIPKIN_JSON;
    };
  }
}
