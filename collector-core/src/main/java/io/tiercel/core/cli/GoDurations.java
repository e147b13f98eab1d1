package io.tiercel.core.cli;

import io.tiercel.core.config.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converter for Go duration options ({@code 30s}, {@code 500ms}, {@code 1m30s}); parsing is
 * the config's.
 */
final class GoDurations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    try {
      return GoDuration.parse(value.strip());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "\"" + value + "\" is not a duration (use Go syntax such as 200ms, 5s, 1m30s)");
    }
  }
}
