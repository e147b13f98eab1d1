package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyFramedInputStream;

class BodyCompressorTest {
  private static final byte[] BODY =
      "resource spans of checkout, resource spans of checkout, resource spans of checkout"
          .repeat(50)
          .getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyCompressionDecodesWithItsFormatsReader(Compression c) throws Exception {
    byte[] out = new BodyCompressor(c, CompressionParams.DEFAULT).compress(BODY);
    byte[] back =
        switch (c) {
          case NONE -> out;
          case GZIP -> read(new GZIPInputStream(new ByteArrayInputStream(out)));
          case ZLIB, DEFLATE -> read(new InflaterInputStream(new ByteArrayInputStream(out)));
          case SNAPPY -> Snappy.uncompress(out);
          case X_SNAPPY_FRAMED -> read(new SnappyFramedInputStream(new ByteArrayInputStream(out)));
          case ZSTD -> Zstd.decompress(out, BODY.length);
          case LZ4 -> read(new LZ4FrameInputStream(new ByteArrayInputStream(out)));
        };
    assertThat(back).isEqualTo(BODY);
    if (c.compresses()) {
      assertThat(out.length).isLessThan(BODY.length);
    }
  }

  @ParameterizedTest
  @CsvSource({"0, 1", "1, 1", "2, 1", "-7, 1", "3, 3", "5, 3", "6, 7", "9, 7", "10, 11", "22, 11"})
  void zstdLevelsMapToTheCollectorsFourSpeeds(int configured, int used) {
    assertThat(BodyCompressor.effectiveLevel(Compression.ZSTD, configured)).isEqualTo(used);
  }

  @ParameterizedTest
  @CsvSource({"0, -1", "-1, -1", "-2, -2", "1, 1", "9, 9"})
  void zlibLevelsKeepTheirValueAndZeroMeansTheDefault(int configured, int used) {
    assertThat(BodyCompressor.effectiveLevel(Compression.GZIP, configured)).isEqualTo(used);
    byte[] out =
        new BodyCompressor(Compression.GZIP, new CompressionParams(configured)).compress(BODY);
    assertThat(out.length).isLessThan(BODY.length);
  }

  @ParameterizedTest
  @CsvSource({"GZIP, 10", "GZIP, -3", "ZLIB, 11", "DEFLATE, -4", "SNAPPY, 1", "LZ4, 2"})
  void levelsTheCollectorRefuses(Compression c, int level) {
    assertThatThrownBy(() -> BodyCompressor.validate(c, level))
        .hasMessage(
            "unsupported parameters {Level:"
                + level
                + "} for compression type \""
                + c.wireName()
                + "\"");
  }

  private static byte[] read(InputStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }
}
