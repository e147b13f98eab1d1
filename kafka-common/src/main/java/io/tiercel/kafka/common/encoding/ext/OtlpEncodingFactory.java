package io.tiercel.kafka.common.encoding.ext;

import io.tiercel.kafka.common.encoding.EncodingExtensionFactory;
import io.tiercel.kafka.common.encoding.RecordEncoding;
import io.tiercel.kafka.common.encoding.SignalCodec;

/** The {@code otlp_encoding} extension: OTLP protobuf or OTLP JSON, every signal. */
public final class OtlpEncodingFactory
    extends EncodingExtensionFactory<OtlpEncodingFactory.Config> {
  /** The OTLP encodings. */
  public enum Protocol {
    OTLP_PROTO,
    OTLP_JSON
  }

  /**
   * The extension's config.
   *
   * @param protocol {@code otlp_proto} (default) or {@code otlp_json}
   */
  public record Config(Protocol protocol) {}

  @Override
  public String type() {
    return "otlp_encoding";
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config createDefaultConfig() {
    return new Config(Protocol.OTLP_PROTO);
  }

  @Override
  public SignalCodec codec(Config config) {
    return config.protocol() == Protocol.OTLP_JSON
        ? RecordEncoding.OTLP_JSON
        : RecordEncoding.OTLP_PROTO;
  }
}
