package io.tiercel.otlp.receiver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Decompresses an HTTP request body by its {@code Content-Encoding}, streaming, so that the output never grows
 * past the limit: a small compressed body that would inflate to gigabytes (a "zip bomb") stops at
 * {@code limit + 1} bytes. Encodings as the collector names them: {@code gzip}, {@code deflate} and {@code zlib}
 * (both the zlib format), and the identity.
 */
final class BodyDecoder {
  /** The encodings accepted (lower case; the empty string is no encoding). */
  static final Set<String> SUPPORTED = Set.of("", "identity", "gzip", "x-gzip", "deflate", "zlib");

  /** The decompressed body would exceed the limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("the decompressed request body exceeds " + limit + " bytes");
    }
  }

  private BodyDecoder() {}

  /** The canonical form of a {@code Content-Encoding} header value (null or blank is no encoding). */
  static String normalize(String contentEncoding) {
    return contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
  }

  /** True when {@code encoding} (normalized) can be decoded. */
  static boolean supported(String encoding) {
    return SUPPORTED.contains(encoding);
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
    switch (encoding) {
      case "", "identity" -> {
        if (length > limit) {
          throw new TooLargeException(limit);
        }
        return length == raw.length ? raw : Arrays.copyOf(raw, length);
      }
      case "gzip", "x-gzip" -> {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw, 0, length), 8192)) {
          return readLimited(in, limit, length);
        }
      }
      case "deflate", "zlib" -> {
        Inflater inflater = new Inflater();
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(raw, 0, length), inflater, 8192)) {
          return readLimited(in, limit, length);
        } finally {
          inflater.end();
        }
      }
      default -> throw new IOException("unsupported Content-Encoding \"" + encoding + "\"");
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
