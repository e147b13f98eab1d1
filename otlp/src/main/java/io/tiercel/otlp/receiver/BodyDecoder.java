package io.tiercel.otlp.receiver;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedInputStream;

/**
 * Decompresses an HTTP request body by its {@code Content-Encoding}, streaming, so that the output
 * never grows past the limit: a small compressed body that would inflate to gigabytes (a "zip
 * bomb") stops at {@code limit + 1} bytes. Encodings as the collector names them: {@code gzip},
 * {@code deflate} and {@code zlib} (both the zlib format), {@code zstd}, {@code lz4} (the LZ4 frame
 * format), {@code snappy} (the block format, or the framed format when the body starts with the
 * framing header, as the collector accepts both) and {@code x-snappy-framed}, and the identity.
 */
final class BodyDecoder {
  /**
   * The encodings known, as the collector's {@code compression_algorithms} names them ("" is no
   * encoding).
   */
  static final List<String> ALGORITHMS =
      List.of("", "gzip", "zstd", "zlib", "snappy", "deflate", "lz4", "x-snappy-framed");

  /** The first bytes of a framed snappy stream (stream identifier chunk). */
  private static final byte[] SNAPPY_FRAMING_HEADER = {
    (byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'
  };

  /** The decompressed body would exceed the limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("the decompressed request body exceeds " + limit + " bytes");
    }
  }

  private BodyDecoder() {}

  /**
   * The canonical form of a {@code Content-Encoding} header value (null or blank is no encoding).
   */
  static String normalize(String contentEncoding) {
    return contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
  }

  /** The canonical name of an alias ({@code identity} is no encoding, {@code x-gzip} is gzip). */
  static String canonical(String encoding) {
    return switch (encoding) {
      case "identity" -> "";
      case "x-gzip" -> "gzip";
      default -> encoding;
    };
  }

  /** True when {@code encoding} (normalized) is one of {@code enabled} (canonical names). */
  static boolean supported(String encoding, Set<String> enabled) {
    return enabled.contains(canonical(encoding));
  }

  /**
   * The decoded body.
   *
   * @param encoding a normalized, supported encoding
   * @param raw the body as received (not modified; returned as is for the identity)
   * @param length the number of valid bytes in {@code raw}
   * @param limit the largest decoded size allowed
   * @throws TooLargeException when the decoded body is larger than {@code limit}
   * @throws IOException when the body is not valid in its encoding (corrupt, truncated)
   */
  static byte[] decode(String encoding, byte[] raw, int length, int limit) throws IOException {
    switch (canonical(encoding)) {
      case "" -> {
        if (length > limit) {
          throw new TooLargeException(limit);
        }
        return length == raw.length ? raw : Arrays.copyOf(raw, length);
      }
      case "gzip" -> {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw, 0, length), 8192)) {
          return readLimited(in, limit, length);
        }
      }
      case "deflate", "zlib" -> {
        Inflater inflater = new Inflater();
        try (InputStream in =
            new InflaterInputStream(new ByteArrayInputStream(raw, 0, length), inflater, 8192)) {
          return readLimited(in, limit, length);
        } finally {
          inflater.end();
        }
      }
      case "zstd" -> {
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(raw, 0, length))) {
          return readLimited(in, limit, length);
        }
      }
      case "lz4" -> {
        try (InputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(raw, 0, length))) {
          return readLimited(in, limit, length);
        }
      }
      case "x-snappy-framed" -> {
        try (InputStream in =
            new SnappyFramedInputStream(new ByteArrayInputStream(raw, 0, length))) {
          return readLimited(in, limit, length);
        }
      }
      case "snappy" -> {
        if (length >= SNAPPY_FRAMING_HEADER.length
            && Arrays.equals(
                raw,
                0,
                SNAPPY_FRAMING_HEADER.length,
                SNAPPY_FRAMING_HEADER,
                0,
                SNAPPY_FRAMING_HEADER.length)) {
          try (InputStream in =
              new SnappyFramedInputStream(new ByteArrayInputStream(raw, 0, length))) {
            return readLimited(in, limit, length);
          }
        }
        // the block format states its decoded length up front: check it before allocating
        int size = Snappy.uncompressedLength(raw, 0, length);
        if (size < 0 || size > limit) {
          throw new TooLargeException(limit);
        }
        byte[] out = new byte[size];
        int n = Snappy.uncompress(raw, 0, length, out, 0);
        return n == size ? out : Arrays.copyOf(out, n);
      }
      default -> throw new IOException("unsupported Content-Encoding: " + encoding);
    }
  }

  private static byte[] readLimited(InputStream in, int limit, int sizeHint) throws IOException {
    byte[] out = new byte[(int) Math.min(limit + 1L, Math.max(8192L, sizeHint * 4L))];
    int n = 0;
    while (true) {
      if (n == out.length) {
        if (n > limit) {
          throw new TooLargeException(limit);
        }
        out = Arrays.copyOf(out, (int) Math.min(limit + 1L, out.length * 2L));
      }
      int r = in.read(out, n, out.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    if (n > limit) {
      throw new TooLargeException(limit);
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
