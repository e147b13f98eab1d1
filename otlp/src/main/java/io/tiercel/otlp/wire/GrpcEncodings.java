package io.tiercel.otlp.wire;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * The gRPC message encodings of the collector's {@code configgrpc}: {@code gzip} (grpc-java's own)
 * plus {@code zstd} and {@code snappy}, which the collector registers for its clients and servers
 * alike. {@code snappy} is the framed snappy stream (the collector's gRPC compressor writes and
 * reads frames); {@code zstd} is written at level 3 with a 512 KiB window, the collector's encoder
 * settings (its library's default speed and its window limit).
 */
public final class GrpcEncodings {
  /** zstd level of gRPC messages: the fastest regular level (see the class comment). */
  static final int ZSTD_LEVEL = 1;

  /** 2^19 = 512 KiB, the window the collector's gRPC zstd encoder is limited to. */
  static final int ZSTD_WINDOW_LOG = 19;

  private static final Codec ZSTD =
      new Codec() {
        @Override
        public String getMessageEncoding() {
          return "zstd";
        }

        @Override
        public OutputStream compress(OutputStream os) throws IOException {
          ZstdOutputStream z = new ZstdOutputStream(os, ZSTD_LEVEL);
          z.setWindowLog(ZSTD_WINDOW_LOG);
          return z;
        }

        @Override
        public InputStream decompress(InputStream is) {
          try {
            return new ZstdInputStream(is);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final Codec SNAPPY =
      new Codec() {
        @Override
        public String getMessageEncoding() {
          return "snappy";
        }

        @Override
        public OutputStream compress(OutputStream os) throws IOException {
          return new SnappyFramedOutputStream(os);
        }

        @Override
        public InputStream decompress(InputStream is) {
          try {
            return new SnappyFramedInputStream(is);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private GrpcEncodings() {}

  /** Compressors for a channel: gzip, zstd, snappy and the identity. */
  public static CompressorRegistry compressors() {
    CompressorRegistry r = CompressorRegistry.newEmptyInstance();
    r.register(new Codec.Gzip());
    r.register(Codec.Identity.NONE);
    r.register(ZSTD);
    r.register(SNAPPY);
    return r;
  }

  /**
   * Decompressors for a server or channel: gzip, zstd, snappy and the identity, all advertised in
   * {@code grpc-accept-encoding}.
   */
  public static DecompressorRegistry decompressors() {
    return DecompressorRegistry.getDefaultInstance().with(ZSTD, true).with(SNAPPY, true);
  }
}
