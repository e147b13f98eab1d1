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
    assertThat(BodyDecoder.decode("identity", TEXT, 5, 100)).containsExactly("hello".getBytes(StandardCharsets.UTF_8));
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
    assertThatThrownBy(() -> BodyDecoder.decode("gzip", cut, cut.length, 100)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> BodyDecoder.decode("gzip", TEXT, TEXT.length, 100))
        .isInstanceOf(IOException.class).hasMessage("Not in GZIP format");
    assertThatThrownBy(() -> BodyDecoder.decode("zlib", TEXT, TEXT.length, 100)).isInstanceOf(IOException.class);
  }

  @Test
  void encodingNames() {
    assertThat(BodyDecoder.normalize(" GZip ")).isEqualTo("gzip");
    assertThat(BodyDecoder.normalize(null)).isEmpty();
    assertThat(BodyDecoder.supported("gzip")).isTrue();
    assertThat(BodyDecoder.supported("br")).isFalse();
  }
}
