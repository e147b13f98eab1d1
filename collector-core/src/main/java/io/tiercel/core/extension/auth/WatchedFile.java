package io.tiercel.core.extension.auth;

import io.tiercel.core.util.DaemonThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A small file of credentials (a token, a password) read at start and read again when it changes,
 * so that a rotated credential takes effect without a restart. The file is polled: polling also
 * sees a Kubernetes secret volume swap its symlink, which an inotify watch on the old file misses.
 * A file that cannot be read at start fails the start; one that cannot be read later keeps the last
 * content and is logged (the path only, never the content).
 */
public final class WatchedFile {
  /** How often the file is checked. */
  public static final Duration POLL = Duration.ofSeconds(1);

  private final Path path;
  private final Logger logger;
  private final String owner;
  private final Consumer<String> onContent;
  private final Object lock = new Object();
  private @Nullable ScheduledExecutorService poller; // guarded by lock
  private @Nullable String last; // guarded by lock
  private boolean failing; // guarded by lock

  /**
   * @param path the file
   * @param owner the component id, for the thread name and the log lines
   * @param onContent gets the whole content at start and after each change (not trimmed)
   */
  public WatchedFile(Path path, String owner, Logger logger, Consumer<String> onContent) {
    this.path = Objects.requireNonNull(path, "path");
    this.owner = owner;
    this.logger = logger;
    this.onContent = onContent;
  }

  /**
   * Reads the file and starts polling it.
   *
   * @throws IOException when the file cannot be read
   */
  public void start() throws IOException {
    String content = read();
    synchronized (lock) {
      if (poller != null) {
        throw new IllegalStateException(owner + ": " + path + " is already watched");
      }
      last = content;
      onContent.accept(content);
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(owner, "file-watch"));
      s.scheduleWithFixedDelay(this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
      poller = s;
    }
  }

  /** Checks the file once now (what the poller does every {@link #POLL}). */
  public void poll() {
    String content;
    try {
      content = read();
    } catch (IOException e) {
      synchronized (lock) {
        if (!failing) {
          failing = true;
          logger.warn(
              "{}: cannot read {} ({}); keeping the credentials read before",
              owner,
              path,
              e.getClass().getSimpleName());
        }
      }
      return;
    }
    synchronized (lock) {
      failing = false;
      if (content.equals(last)) {
        return;
      }
      last = content;
      onContent.accept(content);
    }
    logger.info("{}: reloaded credentials from {}", owner, path);
  }

  private String read() throws IOException {
    return Files.readString(path, StandardCharsets.UTF_8);
  }

  /** Stops polling. Idempotent. */
  public void stop() {
    synchronized (lock) {
      if (poller != null) {
        poller.shutdownNow();
        poller = null;
      }
    }
  }
}
