package io.tiercel.core.extension.storage;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Gives each component a sub-directory of {@code directory}, and holds an exclusive lock on the
 * directory so two collectors never share one queue.
 */
final class FileStorageExtension implements Extension, StorageExtension {
  private final Settings settings;
  private final FileStorageConfig cfg;
  private final Object lock = new Object();
  private Path root;
  private FileChannel lockChannel;
  private FileLock fileLock;

  FileStorageExtension(Settings settings, FileStorageConfig cfg) {
    this.settings = settings;
    this.cfg = cfg;
  }

  @Override
  public void start(Host host) throws IOException, InterruptedException {
    synchronized (lock) {
      Path dir = Path.of(cfg.directory()).toAbsolutePath();
      if (!Files.isDirectory(dir)) {
        if (!cfg.createDirectory()) {
          throw new IOException(
              "extensions."
                  + settings.id()
                  + ".directory: "
                  + dir
                  + " does not exist (create it, or set create_directory: true)");
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(permissions()));
      }
      if (!Files.isWritable(dir)) {
        throw new IOException(
            "extensions." + settings.id() + ".directory: " + dir + " is not writable");
      }
      lockChannel =
          FileChannel.open(
              dir.resolve(".tiercel.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      long end = System.nanoTime() + cfg.timeout().toNanos();
      while (true) {
        try {
          fileLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
          fileLock = null;
        }
        if (fileLock != null) {
          break;
        }
        if (System.nanoTime() - end >= 0) {
          lockChannel.close();
          throw new IOException(
              "extensions."
                  + settings.id()
                  + ": directory "
                  + dir
                  + " is locked by another process (waited "
                  + cfg.timeout()
                  + ")");
        }
        Thread.sleep(20);
      }
      root = dir;
      settings.logger().info("File storage {} uses {} (fsync {})", settings.id(), dir, cfg.fsync());
    }
  }

  private Set<PosixFilePermission> permissions() {
    String p = cfg.directoryPermissions();
    p = p.length() == 4 ? p.substring(1) : p;
    StringBuilder sb = new StringBuilder();
    for (char c : p.toCharArray()) {
      int v = c - '0';
      sb.append((v & 4) != 0 ? 'r' : '-')
          .append((v & 2) != 0 ? 'w' : '-')
          .append((v & 1) != 0 ? 'x' : '-');
    }
    return PosixFilePermissions.fromString(sb.toString());
  }

  @Override
  public Path directory(Kind kind, ComponentId component, String name) throws IOException {
    Path r;
    synchronized (lock) {
      r = root;
    }
    if (r == null) {
      throw new IllegalStateException("file storage " + settings.id() + " is not started");
    }
    String sub =
        (kind.label() + "_" + component.type() + "_" + component.name() + "_" + name)
            .replaceAll("[^A-Za-z0-9._-]", "~");
    Path d = r.resolve(sub);
    Files.createDirectories(d);
    return d;
  }

  @Override
  public boolean fsync() {
    return cfg.fsync();
  }

  @Override
  public void shutdown(Deadline deadline) throws IOException {
    synchronized (lock) {
      if (fileLock != null) {
        fileLock.release();
        fileLock = null;
      }
      if (lockChannel != null) {
        lockChannel.close();
        lockChannel = null;
      }
      root = null;
    }
  }
}
