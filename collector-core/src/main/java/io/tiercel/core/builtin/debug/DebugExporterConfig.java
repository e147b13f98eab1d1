package io.tiercel.core.builtin.debug;

import io.tiercel.core.config.InvalidValueException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Config of the {@code debug} exporter.
 *
 * @param verbosity how much to print per request: {@code basic}, {@code normal} or {@code detailed}
 * @param samplingInitial requests printed in full each second before sampling starts
 * @param samplingThereafter after the initial ones, print every Nth request of that second (0 =
 *     none)
 * @param useInternalLogger print through the component's logger (default, as in the collector);
 *     {@code false} writes to {@code output_paths} instead
 * @param outputPaths where to write when {@code use_internal_logger} is false: {@code stdout}
 *     and/or {@code stderr} ({@code stdout} when not set); null when not set
 */
public record DebugExporterConfig(
    Verbosity verbosity,
    int samplingInitial,
    int samplingThereafter,
    @Nullable Boolean useInternalLogger,
    @Nullable List<String> outputPaths) {
  /**
   * The collector's defaults: basic verbosity, the first 2 requests of each second, then every one,
   * through the component's logger.
   */
  public static final DebugExporterConfig DEFAULT = new DebugExporterConfig(Verbosity.BASIC, 2, 1);

  private static final List<String> STREAMS = List.of("stdout", "stderr");

  /** Detail levels, as the OpenTelemetry Collector's debug exporter names them. */
  public enum Verbosity {
    /** One line per request with its counts. */
    BASIC,
    /** One line per item (span, data point, log record), compact. */
    NORMAL,
    /** The whole request as indented OTLP/JSON. */
    DETAILED
  }

  /** A config that prints through the component's logger. */
  public DebugExporterConfig(Verbosity verbosity, int samplingInitial, int samplingThereafter) {
    this(verbosity, samplingInitial, samplingThereafter, true, null);
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
    useInternalLogger = useInternalLogger == null || useInternalLogger;
    if (outputPaths != null) {
      if (useInternalLogger) {
        throw new InvalidValueException(
            "output_paths", "is not supported when use_internal_logger is true");
      }
      if (outputPaths.isEmpty()) {
        throw new InvalidValueException(
            "output_paths", "must not be empty when use_internal_logger is false");
      }
      for (String p : outputPaths) {
        if (!STREAMS.contains(p)) {
          throw new InvalidValueException(
              "output_paths",
              "\"" + p + "\" is not one of stdout, stderr (files are not supported)");
        }
      }
      outputPaths = List.copyOf(outputPaths);
    }
  }

  /** Where to write when not through the logger: {@code output_paths}, or {@code stdout}. */
  List<String> streams() {
    return outputPaths == null ? List.of("stdout") : outputPaths;
  }
}
