package io.tiercel.core.builtin.file;

import com.github.luben.zstd.Zstd;
import io.tiercel.core.builtin.file.FileExporterConfig.Format;
import io.tiercel.core.builtin.file.FileExporterConfig.Rotation;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.PipelineException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.json.OtlpJson;
import io.tiercel.core.util.DaemonThreads;
import io.tiercel.core.util.ThrottledLogger;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * One output file, shared by the exporters (one per signal) of an exporter id, written by one
 * thread.
 *
 * <p>Requests wait in a bounded queue. When it is full the caller waits for room, as the
 * collector's file exporter makes its callers wait for the file, for up to {@link #FULL_WAIT}; only
 * then is the request refused with a retryable error. A burst (tail_sampling releasing a tick's
 * traces) is absorbed, not bounced. The writer thread takes whatever is queued, encodes it, writes
 * it with one gathering {@code write} (the data is then in the operating system) and only then
 * completes the futures, so the file holds exactly what was acknowledged. Every {@code
 * flush_interval} it forces written data to the device.
 */
final class FileSink {
  static final int QUEUE_CAPACITY = 256;

  /** How long a caller waits for room in a full queue before its request is refused. */
  static final java.time.Duration FULL_WAIT = Duration.ofSeconds(10);

  private static final int MAX_BATCH = 64;
  private static final String STAMP = "yyyy-MM-dd'T'HH-mm-ss.SSS";
  private static final int STAMP_LENGTH = 23;

  private final Path path;
  private final Format format;
  private final long flushIntervalNanos;
  private final boolean append;
  private final Rotation rotation;
  private final boolean zstd;
  private final boolean lengthPrefixed;
  private final DateTimeFormatter rotated;
  private final Logger log;
  private final ThrottledLogger writeFailures;
  private final Clock clock;
  private final String name;

  private final Object lock = new Object();
  // @GuardedBy("lock")
  private int refs;
  // @GuardedBy("lock")
  private boolean open;
  // @GuardedBy("lock")
  private Thread writer;
  // @GuardedBy("lock")
  private Thread lastWriter;

  /** Unbounded itself: {@link #room} bounds it, so the shutdown sentinel always fits. */
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

  /**
   * Free places in the queue: taken by {@link #submit}, given back when the writer takes a request.
   */
  private final Semaphore room = new Semaphore(QUEUE_CAPACITY);

  // writer thread only (set before the thread starts)
  private FileChannel channel;
  private long size;
  private long writeErrors;

  private record Pending(OtlpData data, CompletableFuture<Void> future) {}

  /** Wakes the writer at shutdown (it is never written). */
  private static final Pending STOP = new Pending(null, null);

  FileSink(String name, Path path, FileExporterConfig config, Logger log, Clock clock) {
    this.name = name;
    this.path = path;
    this.format = config.format();
    this.flushIntervalNanos = config.flushInterval().toNanos();
    this.append = config.append();
    this.rotation = config.rotation();
    this.zstd = FileExporterConfig.ZSTD.equals(config.compression());
    this.lengthPrefixed = config.lengthPrefixed();
    this.rotated =
        DateTimeFormatter.ofPattern(STAMP)
            .withZone(rotation.localtime() ? ZoneId.systemDefault() : ZoneOffset.UTC);
    this.log = log;
    this.writeFailures = new ThrottledLogger(log, Duration.ofSeconds(10));
    this.clock = clock;
  }

  Path path() {
    return path;
  }

  /**
   * Registers a user; the first one opens the file (truncating it unless appending) and starts the
   * writer.
   */
  void acquire() throws IOException {
    synchronized (lock) {
      if (refs++ > 0) {
        return;
      }
      if (lastWriter != null && lastWriter.isAlive()) {
        refs--;
        throw new IOException("the previous writer of " + path + " has not stopped yet");
      }
      try {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        channel =
            FileChannel.open(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        size = channel.size();
        if (rotation.enabled()) {
          try {
            pruneBackups();
          } catch (IOException e) {
            log.warn("Removing old rotated files of {} failed", path, e);
          }
        }
      } catch (IOException e) {
        refs--;
        throw new IOException("cannot open " + path + " for writing: " + e.getMessage(), e);
      }
      open = true;
      writer = DaemonThreads.thread(name, "write", this::run);
      lastWriter = writer;
      writer.start();
      log.info(
          "Writing {} to {}{}",
          format.name().toLowerCase(java.util.Locale.ROOT),
          path,
          append ? " (appending)" : "");
    }
  }

  /**
   * Unregisters a user; the last one stops intake, lets the writer finish what is queued (until
   * {@code deadline}), and closes the file.
   */
  void release(Deadline deadline) throws InterruptedException {
    Thread t;
    synchronized (lock) {
      if (refs == 0 || --refs > 0) {
        return;
      }
      open = false;
      t = writer;
      writer = null;
      queue.offer(STOP); // wakes the writer
    }
    t.join(Math.max(1, deadline.remainingMillis()));
    if (t.isAlive()) {
      t.interrupt(); // closes the channel; queued requests are failed below
      t.join(1000);
    }
    failQueued(
        new RetryableException("file exporter " + name + " shut down before writing the data"));
  }

  /**
   * Queues data for writing; the future completes once the bytes are written to the file. With the
   * queue full, waits up to {@link #FULL_WAIT} for room (backpressure), then refuses with a
   * retryable error.
   */
  CompletableFuture<Void> submit(OtlpData data) {
    boolean got;
    try {
      got = room.tryAcquire() || room.tryAcquire(FULL_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(
          new RetryableException(
              "file exporter " + name + " was interrupted waiting for room in its queue"));
    }
    if (!got) {
      return CompletableFuture.failedFuture(
          new RetryableException(
              "file exporter "
                  + name
                  + " queue is full ("
                  + QUEUE_CAPACITY
                  + " requests, waited "
                  + FULL_WAIT.toSeconds()
                  + " s for the file)"));
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (
        lock) { // the open check and the add in one step: close() fails whatever was added before
      // it
      if (!open) {
        room.release();
        return CompletableFuture.failedFuture(
            new RetryableException("file exporter " + name + " is not running"));
      }
      queue.add(new Pending(data, f));
    }
    return f;
  }

  private boolean isOpen() {
    synchronized (lock) {
      return open;
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    long lastForce = System.nanoTime();
    boolean dirty = false;
    long pollNanos = Math.min(flushIntervalNanos, TimeUnit.MILLISECONDS.toNanos(100));
    try {
      while (true) {
        Pending first = queue.poll(pollNanos, TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
          batch.removeIf(p -> p == STOP);
          room.release(batch.size()); // taken off the queue: callers waiting for room may go on
          if (!batch.isEmpty()) {
            dirty |= writeBatch(batch);
            batch.clear();
          }
        }
        // once closed nothing more can be queued (submit checks under the lock), so an empty queue
        // is the end
        if (!isOpen() && queue.isEmpty()) {
          break;
        }
        if (dirty && System.nanoTime() - lastForce >= flushIntervalNanos) {
          force();
          dirty = false;
          lastForce = System.nanoTime();
        }
      }
      if (dirty) {
        force();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      fail(batch, new RetryableException("file exporter " + name + " stopped"));
      try {
        channel.close();
      } catch (IOException e) {
        log.warn("Closing {} failed", path, e);
      }
      if (writeErrors > 0) {
        log.warn("{} writes to {} failed in total", writeErrors, path);
      }
    }
  }

  /**
   * Encodes and writes a batch with as few system calls as rotation allows (one when it is off);
   * completes each future once its bytes are written. Returns true when bytes were written.
   */
  private boolean writeBatch(List<Pending> batch) {
    long limit = rotation.enabled() ? rotation.maxMegabytes() * 1024L * 1024L : Long.MAX_VALUE;
    List<ByteBuffer> buffers = new ArrayList<>(batch.size() * 2);
    List<Pending> segment = new ArrayList<>(batch.size());
    long segmentBytes = 0;
    boolean wrote = false;
    for (Pending p : batch) {
      ByteBuffer[] record;
      try {
        record = encode(p.data());
      } catch (RuntimeException e) {
        PipelineException pe = PipelineException.classify(e);
        p.future()
            .completeExceptionally(
                pe.isRetryable() ? new PermanentException(pe.getMessage(), e) : pe);
        continue;
      }
      long recordBytes = 0;
      for (ByteBuffer b : record) {
        recordBytes += b.remaining();
      }
      if (size + segmentBytes > 0 && size + segmentBytes + recordBytes > limit) {
        // this record would take the file past the limit: write what precedes it, then rotate
        wrote |= writeSegment(buffers, segment, segmentBytes);
        segmentBytes = 0;
        if (!rotateOrFail(p)) {
          continue;
        }
      }
      for (ByteBuffer b : record) {
        buffers.add(b);
      }
      segment.add(p);
      segmentBytes += recordBytes;
    }
    return writeSegment(buffers, segment, segmentBytes) | wrote;
  }

  /** Rotates before {@code next}; on failure fails {@code next} and returns false. */
  private boolean rotateOrFail(Pending next) {
    if (size == 0) {
      return true;
    }
    try {
      rotate();
      return true;
    } catch (IOException e) {
      writeErrors++;
      writeFailures.warn("Rotating " + path + " failed", e);
      next.future()
          .completeExceptionally(
              new RetryableException("rotating " + path + " failed: " + e.getMessage(), e));
      return false;
    }
  }

  /** Writes the buffers of a segment and completes (or fails) its requests; clears both lists. */
  private boolean writeSegment(List<ByteBuffer> buffers, List<Pending> segment, long bytes) {
    if (segment.isEmpty()) {
      return false;
    }
    try {
      ByteBuffer[] all = buffers.toArray(new ByteBuffer[0]);
      long left = bytes;
      while (left > 0) {
        left -= channel.write(all);
      }
      size += bytes;
      for (Pending p : segment) {
        p.future().complete(null);
      }
      return true;
    } catch (IOException e) {
      writeErrors++;
      writeFailures.warn("Writing " + segment.size() + " requests to " + path + " failed", e);
      fail(segment, new RetryableException("writing to " + path + " failed: " + e.getMessage(), e));
      return false;
    } finally {
      buffers.clear();
      segment.clear();
    }
  }

  /**
   * A request as the collector's file exporter writes it: a JSON line, or (proto, or compressed) a
   * 4-byte big-endian length followed by the bytes; compressed means each request's encoding as one
   * zstd frame.
   */
  private ByteBuffer[] encode(OtlpData data) {
    byte[] bytes = format == Format.JSON ? OtlpJson.encode(data) : data.bytes();
    if (!lengthPrefixed) {
      return new ByteBuffer[] {ByteBuffer.wrap(bytes), ByteBuffer.wrap(new byte[] {'\n'})};
    }
    if (zstd) {
      bytes = Zstd.compress(bytes);
    }
    ByteBuffer len = ByteBuffer.allocate(4).putInt(0, bytes.length);
    return new ByteBuffer[] {len, ByteBuffer.wrap(bytes)};
  }

  private void force() {
    try {
      channel.force(false);
    } catch (IOException e) {
      log.warn("Forcing {} to disk failed", path, e);
    }
  }

  /** Renames the current file with a timestamp, starts a new one, and prunes old backups. */
  private void rotate() throws IOException {
    channel.force(false);
    channel.close();
    String fileName = path.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String base = dot > 0 ? fileName.substring(0, dot) : fileName;
    String ext = dot > 0 ? fileName.substring(dot) : "";
    String stamp = rotated.format(clock.instant());
    Path target = path.resolveSibling(base + "-" + stamp + ext);
    for (int i = 1; Files.exists(target); i++) {
      target = path.resolveSibling(base + "-" + stamp + "-" + i + ext);
    }
    try {
      Files.move(path, target);
    } catch (IOException e) {
      // keep writing to the current file rather than to a closed channel
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      throw new IOException(
          "rotating " + path + " to " + target.getFileName() + " failed: " + e.getMessage(), e);
    }
    channel =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    size = 0;
    log.info("Rotated {} to {}", path, target.getFileName());
    pruneBackups();
  }

  /**
   * Deletes rotated files past {@code max_days} (by the timestamp in their name) and, oldest first,
   * those beyond {@code max_backups}.
   */
  private void pruneBackups() throws IOException {
    if (rotation.maxBackups() == 0 && rotation.maxDays() == 0) {
      return;
    }
    String fileName = path.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String base = dot > 0 ? fileName.substring(0, dot) : fileName;
    String ext = dot > 0 ? fileName.substring(dot) : "";
    Path dir = path.toAbsolutePath().getParent();
    List<Path> backups;
    try (Stream<Path> files = Files.list(dir)) {
      backups =
          files
              .filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(base + "-") && n.endsWith(ext) && !n.equals(fileName);
                  })
              .sorted()
              .toList();
    }
    List<Path> kept = new ArrayList<>(backups.size());
    Instant oldest = clock.instant().minus(Duration.ofDays(rotation.maxDays()));
    for (Path b : backups) {
      Instant stamp = stampOf(b.getFileName().toString(), base.length() + 1);
      if (rotation.maxDays() > 0 && stamp != null && stamp.isBefore(oldest)) {
        Files.deleteIfExists(b);
      } else {
        kept.add(b);
      }
    }
    if (rotation.maxBackups() > 0) {
      for (int i = 0; i < kept.size() - rotation.maxBackups(); i++) {
        Files.deleteIfExists(kept.get(i));
      }
    }
  }

  /** The rotation timestamp in a rotated file's name at {@code from}, or null when it has none. */
  private @Nullable Instant stampOf(String name, int from) {
    if (name.length() < from + STAMP_LENGTH) {
      return null;
    }
    try {
      return rotated.parse(name.substring(from, from + STAMP_LENGTH), Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private void failQueued(PipelineException e) {
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.removeIf(p -> p == STOP);
    room.release(left.size());
    fail(left, e);
  }

  private static void fail(List<Pending> list, PipelineException e) {
    for (Pending p : list) {
      p.future().completeExceptionally(e);
    }
  }
}
