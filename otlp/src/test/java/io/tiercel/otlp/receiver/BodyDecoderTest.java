package io.tiercel.otlp.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {
  private static final byte[] TEXT = "hello hello hello hello".getBytes(StandardCharsets.UTF_8);

  @Test
  void identityKeepsTheArrayAndChecksTheLimit() throws IOException {
    assertThat(BodyDecoder.decode("", TEXT, TEXT.length, 100)).isSameAs(TEXT);
    assertThat(BodyDecoder.decode("identity", TEXT, 5, 100))
        .containsExactly("hello".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> BodyDecoder.decode("", TEXT, TEXT.length, 5))
        .isInstanceOf(BodyDecoder.TooLargeException.class)
        .hasMessage("the decompressed request body exceeds 5 bytes");
  }

  @Test
  void gzipAndZlibRoundTrip() throws IOException {
    byte[] gz = OtlpHttpIT.gzip(TEXT);
    assertThat(BodyDecoder.decode("gzip", gz, gz.length, 100)).isEqualTo(TEXT);
    byte[] z = OtlpHttpIT.zlib(TEXT);
    assertThat(BodyDecoder.decode("deflate", z, z.length, 100)).isEqualTo(TEXT);
    assertThat(BodyDecoder.decode("zlib", z, z.length, 100)).isEqualTo(TEXT);
  }

  @Test
  void zstdLz4AndSnappyRoundTrip() throws IOException {
    byte[] zs = com.github.luben.zstd.Zstd.compress(TEXT);
    assertThat(BodyDecoder.decode("zstd", zs, zs.length, 100)).isEqualTo(TEXT);
    ByteArrayOutputStream lz = new ByteArrayOutputStream();
    try (net.jpountz.lz4.LZ4FrameOutputStream out = new net.jpountz.lz4.LZ4FrameOutputStream(lz)) {
      out.write(TEXT);
    }
    assertThat(BodyDecoder.decode("lz4", lz.toByteArray(), lz.size(), 100)).isEqualTo(TEXT);
    byte[] block = org.xerial.snappy.Snappy.compress(TEXT);
    assertThat(BodyDecoder.decode("snappy", block, block.length, 100)).isEqualTo(TEXT);
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    try (org.xerial.snappy.SnappyFramedOutputStream out =
        new org.xerial.snappy.SnappyFramedOutputStream(framed)) {
      out.write(TEXT);
    }
    assertThat(BodyDecoder.decode("x-snappy-framed", framed.toByteArray(), framed.size(), 100))
        .isEqualTo(TEXT);
    assertThat(BodyDecoder.decode("snappy", framed.toByteArray(), framed.size(), 100))
        .as("snappy also accepts the framed format, as the collector does")
        .isEqualTo(TEXT);
  }

  @Test
  void zstdAndSnappyBombsStopAtTheLimit() throws IOException {
    byte[] zeros = new byte[4 << 20];
    byte[] zs = com.github.luben.zstd.Zstd.compress(zeros);
    assertThatThrownBy(() -> BodyDecoder.decode("zstd", zs, zs.length, 1 << 20))
        .isInstanceOf(BodyDecoder.TooLargeException.class);
    byte[] block = org.xerial.snappy.Snappy.compress(zeros);
    assertThatThrownBy(() -> BodyDecoder.decode("snappy", block, block.length, 1 << 20))
        .isInstanceOf(BodyDecoder.TooLargeException.class);
  }

  @Test
  void exactlyTheLimitPassesOneMoreByteFails() throws IOException {
    byte[] gz = OtlpHttpIT.gzip(TEXT);
    assertThat(BodyDecoder.decode("gzip", gz, gz.length, TEXT.length)).isEqualTo(TEXT);
    assertThatThrownBy(() -> BodyDecoder.decode("gzip", gz, gz.length, TEXT.length - 1))
        .isInstanceOf(BodyDecoder.TooLargeException.class);
  }

  @Test
  void aBombStopsAtTheLimit() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gz.write(zeros);
      }
    }
    byte[] bomb = out.toByteArray();
    assertThatThrownBy(() -> BodyDecoder.decode("gzip", bomb, bomb.length, 1 << 20))
        .isInstanceOf(BodyDecoder.TooLargeException.class)
        .hasMessage("the decompressed request body exceeds 1048576 bytes");
  }

  @Test
  void truncatedAndCorruptStreamsFail() throws IOException {
    byte[] gz = OtlpHttpIT.gzip(TEXT);
    byte[] cut = Arrays.copyOf(gz, gz.length - 12);
    assertThatThrownBy(() -> BodyDecoder.decode("gzip", cut, cut.length, 100))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> BodyDecoder.decode("gzip", TEXT, TEXT.length, 100))
        .isInstanceOf(IOException.class)
        .hasMessage("Not in GZIP format");
    assertThatThrownBy(() -> BodyDecoder.decode("zlib", TEXT, TEXT.length, 100))
        .isInstanceOf(IOException.class);
  }

  @Test
  void encodingNames() {
    assertThat(BodyDecoder.normalize(" GZip ")).isEqualTo("gzip");
    assertThat(BodyDecoder.normalize(null)).isEmpty();
    java.util.Set<String> all = java.util.Set.copyOf(BodyDecoder.ALGORITHMS);
    assertThat(BodyDecoder.supported("gzip", all)).isTrue();
    assertThat(BodyDecoder.supported("x-gzip", all)).isTrue();
    assertThat(BodyDecoder.supported("identity", all)).isTrue();
    assertThat(BodyDecoder.supported("br", all)).isFalse();
    assertThat(BodyDecoder.supported("zstd", java.util.Set.of("", "gzip"))).isFalse();
  }
}
