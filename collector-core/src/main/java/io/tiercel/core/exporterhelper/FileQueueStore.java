package io.tiercel.core.exporterhelper;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.extension.storage.StorageExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The persistent sending queue's storage: one file per queued request, named by a growing sequence
 * number, written to a temporary name and renamed into place (so a crash never leaves a
 * half-written request that looks whole), deleted once the request was exported. A file whose
 * checksum does not match is moved aside to {@code corrupt/} and reported, never replayed and never
 * silently dropped.
 *
 * <p>Layout: {@code "TCQ1"}, the context metadata (count, then key, value count, values, as
 * modified UTF-8), payload length, payload (serialized OTLP), CRC32C of everything before it.
 */
final class FileQueueStore {
  private static final int MAGIC = 0x54435131; // "TCQ1"
  private static final String SUFFIX = ".req";

  /** A request read back from disk. */
  record Stored(long seq, Path file, Context ctx, byte[] payload) {}

  private final Path dir;
  private final boolean fsync;

  FileQueueStore(Path dir, boolean fsync) {
    this.dir = dir;
    this.fsync = fsync;
  }

  /**
   * The queue of exporter {@code settings.id()} in the directory of storage extension {@code
   * storage}. Files failing their checksum are moved aside and logged.
   *
   * @throws IllegalStateException when {@code storage} is not a configured storage extension
   */
  static FileQueueStore open(Settings settings, String storage, @Nullable Host host)
      throws IOException {
    ComponentId sid = ComponentId.parse(storage);
    var ext =
        host == null
            ? java.util.Optional.<StorageExtension>empty()
            : host.extension(sid, StorageExtension.class);
    if (ext.isEmpty()) {
      throw new IllegalStateException(
          "exporters."
              + settings.id()
              + ".sending_queue.storage: \""
              + sid
              + "\" is not a configured storage extension (add it under extensions and"
              + " service.extensions)");
    }
    Path dir = ext.get().directory(Kind.EXPORTER, settings.id(), settings.signal().id());
    return new FileQueueStore(dir, ext.get().fsync());
  }

  /** Every request on disk, oldest first; files failing their checksum are logged and set aside. */
  List<Stored> loadAll(Settings settings) throws IOException {
    List<Path> corrupt = new ArrayList<>();
    List<Stored> stored = loadAll(corrupt);
    if (!corrupt.isEmpty()) {
      settings
          .logger()
          .error(
              "Exporter {}: {} queue files failed their checksum and were moved aside: {}",
              settings.id(),
              corrupt.size(),
              corrupt);
    }
    return stored;
  }

  Path dir() {
    return dir;
  }

  /** Writes one request; returns its file. */
  Path write(long seq, Context ctx, byte[] payload) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream(256);
    DataOutputStream out = new DataOutputStream(header);
    out.writeInt(MAGIC);
    Map<String, List<String>> md = ctx.metadata();
    out.writeInt(md.size());
    for (var e : md.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue().size());
      for (String v : e.getValue()) {
        out.writeUTF(v);
      }
    }
    out.writeInt(payload.length);
    out.flush();
    byte[] head = header.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(head);
    crc.update(payload);
    ByteBuffer trailer = ByteBuffer.allocate(8).putLong(0, crc.getValue());

    Path tmp = dir.resolve(String.format("%020d.tmp", seq));
    Path dst = dir.resolve(String.format("%020d%s", seq, SUFFIX));
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer[] bufs = {ByteBuffer.wrap(head), ByteBuffer.wrap(payload), trailer};
      long total = head.length + payload.length + 8L;
      long written = 0;
      while (written < total) {
        written += ch.write(bufs);
      }
      if (fsync) {
        ch.force(true);
      }
    }
    try {
      Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dst, StandardCopyOption.REPLACE_EXISTING);
    }
    if (fsync) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // some file systems cannot sync a directory; the file itself is synced
      }
    }
    return dst;
  }

  void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /**
   * Every stored request in sequence order; leftover temporary files are removed, corrupt files are
   * moved to {@code corrupt/} and listed in {@code corrupt}.
   */
  List<Stored> loadAll(List<Path> corrupt) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        } else if (n.endsWith(SUFFIX)) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    List<Stored> out = new ArrayList<>();
    for (Path f : files) {
      long seq = Long.parseLong(f.getFileName().toString().replace(SUFFIX, ""));
      try {
        out.add(read(seq, f));
      } catch (IOException | RuntimeException e) {
        Path aside = Files.createDirectories(dir.resolve("corrupt")).resolve(f.getFileName());
        Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
        corrupt.add(aside);
      }
    }
    return out;
  }

  private static Stored read(long seq, Path f) throws IOException {
    byte[] all = Files.readAllBytes(f);
    if (all.length < 20) {
      throw new IOException("too short");
    }
    CRC32C crc = new CRC32C();
    crc.update(all, 0, all.length - 8);
    if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
      throw new IOException("checksum mismatch");
    }
    DataInputStream in =
        new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a queue file");
    }
    int keys = in.readInt();
    Map<String, List<String>> md = new LinkedHashMap<>();
    for (int i = 0; i < keys; i++) {
      String k = in.readUTF();
      int n = in.readInt();
      List<String> vals = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        vals.add(in.readUTF());
      }
      md.put(k, vals);
    }
    int len = in.readInt();
    byte[] payload = in.readNBytes(len);
    if (payload.length != len || in.available() != 0) {
      throw new IOException("length mismatch");
    }
    return new Stored(seq, f, Context.of(md), payload);
  }
}
