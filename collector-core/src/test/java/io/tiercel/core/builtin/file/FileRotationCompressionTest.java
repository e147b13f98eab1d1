package io.tiercel.core.builtin.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.builtin.file.FileExporterConfig.Format;
import io.tiercel.core.builtin.file.FileExporterConfig.Rotation;
import io.tiercel.core.builtin.generator.GeneratorReceiverConfig;
import io.tiercel.core.builtin.generator.TelemetryGenerator;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Exporter;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.SharedComponents;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.json.OtlpJson;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file exporter's {@code compression}, {@code rotation.max_days} and {@code localtime}. */
class FileRotationCompressionTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private static final DateTimeFormatter UTC_STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);

  @TempDir Path dir;
  private final TelemetryGenerator gen = new TelemetryGenerator(GeneratorReceiverConfig.DEFAULT, 3);

  private static Settings settings() {
    Settings s = Settings.forTest(Kind.EXPORTER, ComponentId.parse("file/rc"), Signal.TRACES);
    return new Settings(
        s.id(),
        s.kind(),
        s.signal(),
        s.logger(),
        s.metrics(),
        Clock.fixed(NOW, ZoneOffset.UTC),
        s.build(),
        SharedComponents.create());
  }

  private Exporter<Traces> start(FileExporterConfig cfg) throws Exception {
    Exporter<Traces> e = new FileExporterFactory().createTraces(settings(), cfg);
    e.start(null);
    return e;
  }

  /** The records of a length-prefixed file, each zstd-decompressed. */
  private static List<byte[]> zstdRecords(Path p) throws Exception {
    List<byte[]> out = new ArrayList<>();
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(p)))) {
      while (in.available() > 0) {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        out.add(Zstd.decompress(frame, (int) Zstd.getFrameContentSize(frame)));
      }
    }
    return out;
  }

  @Test
  void zstdCompressesEachRequestLengthPrefixedInBothFormats() throws Exception {
    TracesData a = gen.traces(5, 1L);
    TracesData b = gen.traces(7, 2L);
    for (Format format : Format.values()) {
      Path p = dir.resolve("out-" + format);
      Exporter<Traces> e =
          start(
              new FileExporterConfig(
                  p.toString(), format, Duration.ofMillis(50), false, null, "zstd"));
      e.consume(Context.EMPTY, Traces.of(a)).get();
      e.consume(Context.EMPTY, Traces.of(b)).get();
      e.shutdown(Deadline.in(Duration.ofSeconds(5)));
      List<byte[]> records = zstdRecords(p);
      assertThat(records).hasSize(2);
      if (format == Format.JSON) {
        assertThat(OtlpJson.decodeTraces(records.get(0))).isEqualTo(a);
        assertThat(OtlpJson.decodeTraces(records.get(1))).isEqualTo(b);
      } else {
        assertThat(TracesData.parseFrom(records.get(0))).isEqualTo(a);
        assertThat(TracesData.parseFrom(records.get(1))).isEqualTo(b);
      }
    }
  }

  @Test
  void maxDaysRemovesRotatedFilesOlderThanTheirTimestampAllows() throws Exception {
    Path old = dir.resolve("t-" + UTC_STAMP.format(NOW.minus(Duration.ofDays(4))) + ".json");
    Path recent = dir.resolve("t-" + UTC_STAMP.format(NOW.minus(Duration.ofDays(2))) + ".json");
    Path unrelated = dir.resolve("t-notes.json");
    for (Path p : List.of(old, recent, unrelated)) {
      Files.writeString(p, "{}\n");
    }
    Exporter<Traces> e =
        start(
            new FileExporterConfig(
                dir.resolve("t.json").toString(),
                Format.JSON,
                Duration.ofMillis(50),
                false,
                new Rotation(1, 3, 0, false)));
    e.consume(Context.EMPTY, Traces.of(gen.traces(2, 1L))).get();
    e.shutdown(Deadline.in(Duration.ofSeconds(5)));
    assertThat(old).doesNotExist();
    assertThat(recent).exists();
    assertThat(unrelated).exists(); // no timestamp in its name: not a rotated file
    assertThat(dir.resolve("t.json")).exists();
  }

  @Test
  void localtimeNamesRotatedFilesInTheHostsTimeZone() throws Exception {
    TimeZone before = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata")); // UTC+05:30
    try {
      List<String> names = rotateTwice(true);
      String local =
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS")
              .withZone(ZoneId.of("Asia/Kolkata"))
              .format(NOW);
      assertThat(local).isEqualTo("2026-03-10T17-30-00.000");
      assertThat(names).contains("l-" + local + ".json");
    } finally {
      TimeZone.setDefault(before);
    }
  }

  @Test
  void withoutLocaltimeRotatedFilesAreNamedInUtc() throws Exception {
    TimeZone before = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    try {
      assertThat(rotateTwice(false)).contains("l-2026-03-10T12-00-00.000.json");
    } finally {
      TimeZone.setDefault(before);
    }
  }

  /** Writes two requests of about 0.6 MiB each with 1 MiB rotation; returns the file names. */
  private List<String> rotateTwice(boolean localtime) throws Exception {
    TracesData big = gen.traces(1000, 1L);
    assertThat(OtlpJson.encode(big).length).isBetween(600_000, 1_000_000);
    Exporter<Traces> e =
        start(
            new FileExporterConfig(
                dir.resolve("l.json").toString(),
                Format.JSON,
                Duration.ofMillis(50),
                false,
                new Rotation(1, 0, 0, localtime)));
    e.consume(Context.EMPTY, Traces.of(big)).get();
    e.consume(Context.EMPTY, Traces.of(big)).get();
    e.shutdown(Deadline.in(Duration.ofSeconds(5)));
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
