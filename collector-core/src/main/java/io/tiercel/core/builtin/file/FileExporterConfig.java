package io.tiercel.core.builtin.file;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Validatable;
import java.time.Duration;

/**
 * Config of the {@code file} exporter.
 *
 * @param path the file to write (required)
 * @param format {@code json} (one OTLP/JSON object per line) or {@code proto} (each request as a
 *     4-byte big-endian length followed by the OTLP protobuf bytes)
 * @param flushInterval how often written data is forced to the storage device ({@code fsync}); data
 *     always reaches the operating system before a request is acknowledged
 * @param append keep what the file holds at start (true) or truncate it (false)
 * @param rotation size-based rotation; {@code max_megabytes: 0} (the default) turns it off
 */
public record FileExporterConfig(
    String path, Format format, Duration flushInterval, boolean append, Rotation rotation)
    implements Validatable {
  /** Defaults: no path (must be set), json, 1s, truncate, no rotation. */
  public static final FileExporterConfig DEFAULT =
      new FileExporterConfig("", Format.JSON, Duration.ofSeconds(1), false, Rotation.DEFAULT);

  /** What the file holds. */
  public enum Format {
    /** One OTLP/JSON object per line. */
    JSON,
    /** Length-prefixed OTLP protobuf (4-byte big-endian length, then the bytes). */
    PROTO
  }

  /**
   * Size-based rotation: when a write would take the file past {@code maxMegabytes}, the file is
   * renamed to {@code name-<UTC timestamp>.ext} and a new one started; at most {@code maxBackups}
   * renamed files are kept (0 = keep all).
   *
   * @param maxMegabytes size limit in MiB; 0 = no rotation
   * @param maxBackups how many rotated files to keep; 0 = all
   */
  public record Rotation(int maxMegabytes, int maxBackups) {
    /** No rotation; 100 backups once {@code max_megabytes} is set (the collector's default). */
    public static final Rotation DEFAULT = new Rotation(0, 100);

    public Rotation {
      if (maxMegabytes < 0) {
        throw new InvalidValueException(
            "max_megabytes", "must not be negative, got " + maxMegabytes);
      }
      if (maxBackups < 0) {
        throw new InvalidValueException("max_backups", "must not be negative, got " + maxBackups);
      }
    }

    /** True when rotation is on. */
    public boolean enabled() {
      return maxMegabytes > 0;
    }
  }

  public FileExporterConfig {
    path = path == null ? "" : path;
    if (format == null) {
      throw new InvalidValueException("format", "must be one of json, proto");
    }
    if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
      throw new InvalidValueException(
          "flush_interval", "must be greater than zero, got " + flushInterval);
    }
    if (rotation == null) {
      rotation = Rotation.DEFAULT;
    }
  }

  /**
   * Checks what the defaults cannot satisfy: a path must be given (the default config has none).
   * Called by the config loader on the bound config, and again by the factory when it creates the
   * exporter.
   *
   * @throws InvalidValueException when {@code path} is empty
   */
  @Override
  public void validate() {
    if (path.isBlank()) {
      throw new InvalidValueException("path", "must be set to the file to write");
    }
  }
}
