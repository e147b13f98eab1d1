package io.tiercel.core.builtin.debug;

import io.tiercel.core.config.InvalidValueException;

/**
 * Config of the {@code debug} exporter.
 *
 * @param verbosity how much to print per request: {@code basic}, {@code normal} or {@code detailed}
 * @param samplingInitial requests printed in full each second before sampling starts
 * @param samplingThereafter after the initial ones, print every Nth request of that second (0 =
 *     none)
 */
public record DebugExporterConfig(
    Verbosity verbosity, int samplingInitial, int samplingThereafter) {
  /**
   * The collector's defaults: basic verbosity, the first 2 requests of each second, then every one.
   */
  public static final DebugExporterConfig DEFAULT = new DebugExporterConfig(Verbosity.BASIC, 2, 1);

  /** Detail levels, as the OpenTelemetry Collector's debug exporter names them. */
  public enum Verbosity {
    /** One line per request with its counts. */
    BASIC,
    /** One line per item (span, data point, log record), compact. */
    NORMAL,
    /** The whole request as indented OTLP/JSON. */
    DETAILED
  }

  public DebugExporterConfig {
    if (verbosity == null) {
      throw new InvalidValueException("verbosity", "must be one of basic, normal, detailed");
    }
    if (samplingInitial < 0) {
      throw new InvalidValueException(
          "sampling_initial", "must not be negative, got " + samplingInitial);
    }
    if (samplingThereafter < 0) {
      throw new InvalidValueException(
          "sampling_thereafter", "must not be negative, got " + samplingThereafter);
    }
  }
}
