package io.tiercel.otlp.exporter;

import com.github.luben.zstd.Zstd;
import io.tiercel.core.config.InvalidValueException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * Compresses an HTTP request body with the collector's algorithms and levels ({@code compression}
 * and {@code compression_params.level}). Stateless; each call allocates its own (de)compressor, so
 * calls may run on any thread.
 */
final class BodyCompressor {
  /** zlib's "Huffman only" level, as the collector spells it. */
  static final int HUFFMAN_ONLY = -2;

  private final Compression compression;
  private final int level;

  BodyCompressor(Compression compression, CompressionParams params) {
    this.compression = compression;
    this.level = effectiveLevel(compression, params.level());
  }

  /**
   * Fails, naming {@code compression_params}, when {@code level} is not one the collector allows
   * for {@code compression} (its {@code ValidateParams}).
   */
  static void validate(Compression compression, int level) {
    boolean ok =
        switch (compression) {
          case GZIP, ZLIB, DEFLATE ->
              level == -1 || level == HUFFMAN_ONLY || level >= 0 && level <= 9;
          case ZSTD, NONE -> true;
          case SNAPPY, X_SNAPPY_FRAMED, LZ4 -> level == 0;
        };
    if (!ok) {
      throw new InvalidValueException(
          "compression_params",
          "unsupported parameters {Level:"
              + level
              + "} for compression type \""
              + compression.wireName()
              + "\"");
    }
  }

  /**
   * The level handed to the library: unset (0) is the collector's default (zlib's -1, which the
   * zstd mapping turns into the fastest level); zstd levels are mapped to the four speeds of the
   * collector's zstd library (fastest 1, default 3, better 7, best 11).
   */
  static int effectiveLevel(Compression compression, int level) {
    int l = level == 0 ? -1 : level;
    if (compression != Compression.ZSTD) {
      return l;
    }
    if (l < 3) {
      return 1;
    }
    if (l < 6) {
      return 3;
    }
    return l < 10 ? 7 : 11;
  }

  /** The name to send as {@code Content-Encoding}. */
  String contentEncoding() {
    return compression.wireName();
  }

  /** The compressed form of {@code in}. */
  byte[] compress(byte[] in) {
    try {
      return switch (compression) {
        case NONE -> in;
        case ZSTD -> Zstd.compress(in, level);
        case SNAPPY -> Snappy.compress(in);
        case GZIP -> {
          ByteArrayOutputStream out = buffer(in);
          try (GzipStream gz = new GzipStream(out, level)) {
            gz.write(in);
          }
          yield out.toByteArray();
        }
        case ZLIB, DEFLATE -> {
          ByteArrayOutputStream out = buffer(in);
          Deflater d = deflater(level);
          try (DeflaterOutputStream z = new DeflaterOutputStream(out, d, 8192)) {
            z.write(in);
          } finally {
            d.end();
          }
          yield out.toByteArray();
        }
        case X_SNAPPY_FRAMED -> {
          ByteArrayOutputStream out = buffer(in);
          try (OutputStream s = new SnappyFramedOutputStream(out)) {
            s.write(in);
          }
          yield out.toByteArray();
        }
        case LZ4 -> {
          ByteArrayOutputStream out = buffer(in);
          // 64 KiB blocks: the default 4 MiB block would be allocated for every request
          try (OutputStream s = new LZ4FrameOutputStream(out, BLOCKSIZE.SIZE_64KB)) {
            s.write(in);
          }
          yield out.toByteArray();
        }
      };
    } catch (IOException e) {
      throw new IllegalStateException(compression.wireName() + " compression to memory failed", e);
    }
  }

  private static ByteArrayOutputStream buffer(byte[] in) {
    return new ByteArrayOutputStream(Math.max(64, in.length / 4));
  }

  /** A deflater at a collector level: -2 is the Huffman-only strategy at the default level. */
  static Deflater deflater(int level) {
    if (level == HUFFMAN_ONLY) {
      Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION);
      d.setStrategy(Deflater.HUFFMAN_ONLY);
      return d;
    }
    return new Deflater(level);
  }

  /** gzip at a chosen level ({@link GZIPOutputStream} always uses the default one). */
  private static final class GzipStream extends GZIPOutputStream {
    GzipStream(OutputStream out, int level) throws IOException {
      super(out, 8192);
      if (level == HUFFMAN_ONLY) {
        def.setStrategy(Deflater.HUFFMAN_ONLY);
      } else {
        def.setLevel(level);
      }
    }
  }
}
