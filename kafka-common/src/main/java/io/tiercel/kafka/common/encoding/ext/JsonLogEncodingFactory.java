package io.tiercel.kafka.common.encoding.ext;

import io.tiercel.kafka.common.encoding.EncodingExtensionFactory;
import io.tiercel.kafka.common.encoding.JsonLogCodec;
import io.tiercel.kafka.common.encoding.SignalCodec;
import java.time.Clock;

/**
 * The {@code json_log_encoding} extension: log bodies as JSON objects (see {@link JsonLogCodec}).
 */
public final class JsonLogEncodingFactory
    extends EncodingExtensionFactory<JsonLogEncodingFactory.Config> {
  /** What a written item holds. */
  public enum Mode {
    BODY,
    BODY_WITH_INLINE_ATTRIBUTES
  }

  /**
   * The extension's config.
   *
   * @param mode {@code body} (default) or {@code body_with_inline_attributes}
   * @param arrayMode true (default): a value is a JSON array of objects; false: one object per line
   */
  public record Config(Mode mode, boolean arrayMode) {}

  @Override
  public String type() {
    return "json_log_encoding";
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config createDefaultConfig() {
    return new Config(Mode.BODY, true);
  }

  @Override
  public SignalCodec codec(Config config) {
    return new JsonLogCodec(
        config.mode() == Mode.BODY_WITH_INLINE_ATTRIBUTES, config.arrayMode(), Clock.systemUTC());
  }
}
