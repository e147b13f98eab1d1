package io.tiercel.core.extension.storage;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;
import java.util.Map;

/**
 * Config of the {@code file_storage} extension (the collector's keys).
 *
 * @param directory where component data lives ({@code /var/lib/tiercel/file_storage}); must exist
 *     unless {@code create_directory}
 * @param timeout how long to wait for the directory lock held by another process (1s)
 * @param fsync force every write to the device before acknowledging it (false)
 * @param createDirectory create {@code directory} if missing (false)
 * @param directoryPermissions octal permissions for created directories ("0750")
 * @param compaction accepted for compatibility with the collector's bbolt store; Tiercel stores one
 *     file per queued request and deletes it when sent, so there is nothing to compact and these
 *     keys have no effect
 */
public record FileStorageConfig(
    String directory,
    Duration timeout,
    boolean fsync,
    boolean createDirectory,
    String directoryPermissions,
    Map<String, Object> compaction) {
  public static final FileStorageConfig DEFAULT =
      new FileStorageConfig(
          "/var/lib/tiercel/file_storage", Duration.ofSeconds(1), false, false, "0750", Map.of());

  public FileStorageConfig {
    if (directory == null || directory.isBlank()) {
      throw new InvalidValueException("directory", "must not be empty");
    }
    if (timeout.isNegative()) {
      throw new InvalidValueException("timeout", "must not be negative, got " + timeout);
    }
    if (!directoryPermissions.matches("0?[0-7]{3}")) {
      throw new InvalidValueException(
          "directory_permissions",
          "\"" + directoryPermissions + "\" is not an octal permission like 0750");
    }
    compaction = compaction == null ? Map.of() : Map.copyOf(compaction);
  }
}
