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
 * @param compression {@code ""} (none) or {@code zstd}: each request is compressed on its own (a
 *     zstd frame) and written length-prefixed, in either format, as the collector does
 */
public record FileExporterConfig(
    String path,
    Format format,
    Duration flushInterval,
    boolean append,
    Rotation rotation,
    String compression)
    implements Validatable {
  /** Defaults: no path (must be set), json, 1s, truncate, no rotation, no compression. */
  public static final FileExporterConfig DEFAULT =
      new FileExporterConfig("", Format.JSON, Duration.ofSeconds(1), false, Rotation.DEFAULT);

  /** A config without compression. */
  public FileExporterConfig(
      String path, Format format, Duration flushInterval, boolean append, Rotation rotation) {
    this(path, format, flushInterval, append, rotation, "");
  }

  /** What the file holds. */
  public enum Format {
    /** One OTLP/JSON object per line. */
    JSON,
    /** Length-prefixed OTLP protobuf (4-byte big-endian length, then the bytes). */
    PROTO
  }

  /**
   * Size-based rotation: when a write would take the file past {@code maxMegabytes}, the file is
   * renamed to {@code name-<timestamp>.ext} and a new one started; at most {@code maxBackups}
   * renamed files are kept (0 = keep all), and none whose name's timestamp is more than {@code
   * maxDays} days old (0 = no age limit).
   *
   * @param maxMegabytes size limit in MiB; 0 = no rotation
   * @param maxDays remove rotated files older than this many days (by the timestamp in their name),
   *     at each rotation and at start; 0 = keep them regardless of age
   * @param maxBackups how many rotated files to keep; 0 = all
   * @param localtime timestamps in rotated files' names in the host's time zone (false: UTC)
   */
  public record Rotation(int maxMegabytes, int maxDays, int maxBackups, boolean localtime) {
    /** No rotation; 100 backups once {@code max_megabytes} is set (the collector's default). */
    public static final Rotation DEFAULT = new Rotation(0, 100);

    /** Rotation without an age limit, with UTC timestamps. */
    public Rotation(int maxMegabytes, int maxBackups) {
      this(maxMegabytes, 0, maxBackups, false);
    }

    public Rotation {
      if (maxDays < 0) {
        throw new InvalidValueException("max_days", "must not be negative, got " + maxDays);
      }
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
    compression = compression == null ? "" : compression;
    if (!compression.isEmpty() && !compression.equals(ZSTD)) {
      throw new InvalidValueException(
          "compression", "\"" + compression + "\" is not supported; the only one is zstd");
    }
  }

  /** The one compression the collector's file exporter has. */
  static final String ZSTD = "zstd";

  /** Whether each request is written length-prefixed (proto, or any compressed format). */
  boolean lengthPrefixed() {
    return format == Format.PROTO || !compression.isEmpty();
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
