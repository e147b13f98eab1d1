package io.tiercel.kafka.common.encoding.ext;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Validatable;
import io.tiercel.kafka.common.encoding.EncodingExtensionFactory;
import io.tiercel.kafka.common.encoding.SignalCodec;
import io.tiercel.kafka.common.encoding.TextCodec;
import java.time.Clock;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code text_encoding} extension: logs as lines of text. Reading decodes the value with {@code
 * encoding} and makes one log record (a string body) per piece between {@code
 * unmarshaling_separator} matches (a regular expression); writing joins the bodies' text with
 * {@code marshaling_separator} and encodes it.
 */
public final class TextEncodingFactory
    extends EncodingExtensionFactory<TextEncodingFactory.Config> {
  /**
   * The extension's config.
   *
   * @param encoding the character encoding ({@code utf8} default)
   * @param marshalingSeparator written between two bodies ({@code "\n"})
   * @param unmarshalingSeparator the regular expression that separates records ({@code "\r?\n"})
   */
  public record Config(String encoding, String marshalingSeparator, String unmarshalingSeparator)
      implements Validatable {
    @Override
    public void validate() {
      try {
        TextCodec.whole(encoding);
      } catch (IllegalArgumentException e) {
        throw new InvalidValueException("encoding", e.getMessage());
      }
      if (unmarshalingSeparator.isEmpty()) {
        throw new InvalidValueException("unmarshaling_separator", "must not be empty");
      }
      try {
        Pattern.compile(unmarshalingSeparator);
      } catch (PatternSyntaxException e) {
        throw new InvalidValueException(
            "unmarshaling_separator", "is not a regular expression: " + e.getDescription());
      }
    }
  }

  @Override
  public String type() {
    return "text_encoding";
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config createDefaultConfig() {
    return new Config("utf8", "\n", "\r?\n");
  }

  @Override
  public SignalCodec codec(Config config) {
    return TextCodec.split(
        config.encoding(),
        Pattern.compile(config.unmarshalingSeparator()),
        config.marshalingSeparator(),
        Clock.systemUTC());
  }
}
