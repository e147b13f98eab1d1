package io.tiercel.core.builtin.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.metrics.v1.MetricsData;
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
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.pdata.json.OtlpJson;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileExporterTest {
  @TempDir Path dir;

  private final TelemetryGenerator gen = new TelemetryGenerator(GeneratorReceiverConfig.DEFAULT, 7);

  /** The shared state of the one service the exporters of a test run in. */
  private final SharedComponents shared = SharedComponents.create();

  private Settings settings(Signal signal) {
    return settings(signal, shared);
  }

  /** Settings of an exporter built by the service whose shared state is {@code service}. */
  private static Settings settings(Signal signal, SharedComponents service) {
    Settings s = Settings.forTest(Kind.EXPORTER, ComponentId.parse("file/test"), signal);
    return new Settings(
        s.id(), s.kind(), s.signal(), s.logger(), s.metrics(), s.clock(), s.build(), service);
  }

  private FileExporterConfig config(String file, Format format, boolean append, Rotation rotation) {
    return new FileExporterConfig(
        dir.resolve(file).toString(), format, Duration.ofMillis(50), append, rotation);
  }

  private static Deadline soon() {
    return Deadline.in(Duration.ofSeconds(5));
  }

  private static List<String> lines(Path p) throws Exception {
    return Files.readAllLines(p, StandardCharsets.UTF_8);
  }

  @Test
  void factoryDefaultsAndPathRequired() {
    FileExporterFactory f = new FileExporterFactory();
    assertThat(f.type()).isEqualTo("file");
    assertThat(f.createDefaultConfig())
        .isEqualTo(
            new FileExporterConfig(
                "", Format.JSON, Duration.ofSeconds(1), false, new Rotation(0, 100)));
    assertThatThrownBy(() -> f.createTraces(settings(Signal.TRACES), f.createDefaultConfig()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("must be set to the file to write")
        .satisfies(e -> assertThat(((InvalidValueException) e).key()).isEqualTo("path"));
    assertThatThrownBy(() -> new FileExporterConfig("x", Format.JSON, Duration.ZERO, false, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("must be greater than zero, got PT0S");
    assertThatThrownBy(() -> new Rotation(-1, 1))
        .isInstanceOf(InvalidValueException.class)
        .satisfies(e -> assertThat(((InvalidValueException) e).key()).isEqualTo("max_megabytes"));
  }

  @Test
  void jsonLinesHoldExactlyWhatWasAcknowledgedForAllSignals() throws Exception {
    FileExporterFactory f = new FileExporterFactory();
    FileExporterConfig cfg = config("out/all.json", Format.JSON, false, null);
    Exporter<Traces> te = f.createTraces(settings(Signal.TRACES), cfg);
    Exporter<Metrics> me = f.createMetrics(settings(Signal.METRICS), cfg);
    Exporter<Logs> le = f.createLogs(settings(Signal.LOGS), cfg);
    te.start(null);
    me.start(null);
    le.start(null);
    TracesData t = gen.traces(12, 1_700_000_000_000_000_000L);
    MetricsData m = gen.metrics(9, 1_700_000_000_000_000_000L);
    LogsData l = gen.logs(7, 1_700_000_000_000_000_000L);
    te.consume(Context.EMPTY, Traces.of(t)).get();
    me.consume(Context.EMPTY, Metrics.ofBytes(m.toByteArray())).get();
    le.consume(Context.EMPTY, Logs.of(l)).get();
    // acknowledged = on disk (in the OS), before any shutdown
    List<String> lines = lines(dir.resolve("out/all.json"));
    assertThat(lines).hasSize(3);
    assertThat(OtlpJson.decodeTraces(lines.get(0).getBytes(StandardCharsets.UTF_8))).isEqualTo(t);
    assertThat(OtlpJson.decodeMetrics(lines.get(1).getBytes(StandardCharsets.UTF_8))).isEqualTo(m);
    assertThat(OtlpJson.decodeLogs(lines.get(2).getBytes(StandardCharsets.UTF_8))).isEqualTo(l);
    te.shutdown(soon());
    me.shutdown(soon());
    le.shutdown(soon());
    le.shutdown(soon()); // idempotent
    assertThatThrownBy(() -> te.consume(Context.EMPTY, Traces.of(t)).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RetryableException.class)
        .hasMessageContaining("file exporter file/test is not running");
  }

  @Test
  void concurrentRequestsAreAllWrittenWholeLines() throws Exception {
    FileExporterFactory f = new FileExporterFactory();
    Exporter<Traces> te =
        f.createTraces(settings(Signal.TRACES), config("c.json", Format.JSON, false, null));
    te.start(null);
    List<TracesData> sent = new ArrayList<>();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      TracesData t = gen.traces(3, 1_700_000_000_000_000_000L + i);
      sent.add(t);
    }
    sent.parallelStream()
        .forEach(
            t -> {
              CompletableFuture<Void> fut = te.consume(Context.EMPTY, Traces.of(t));
              synchronized (futures) {
                futures.add(fut);
              }
            });
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get();
    te.shutdown(soon());
    List<TracesData> read = new ArrayList<>();
    for (String line : lines(dir.resolve("c.json"))) {
      read.add(OtlpJson.decodeTraces(line.getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
  }

  /**
   * A burst larger than the queue while the file does not drain (a FIFO nobody reads yet): the
   * callers past the queue's capacity wait for room instead of being refused, and once the file
   * drains every request is written.
   */
  @Test
  void aBurstLargerThanTheQueueWaitsForRoomInsteadOfBeingRefused() throws Exception {
    Path fifo = dir.resolve("stalled.bin");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is not available");
    // the reader end: opening the FIFO for writing blocks until a reader has it open; it reads
    // nothing yet
    CompletableFuture<InputStream> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.newInputStream(fifo);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    FileExporterFactory f = new FileExporterFactory();
    Exporter<Traces> te =
        f.createTraces(settings(Signal.TRACES), config("stalled.bin", Format.PROTO, true, null));
    te.start(null);
    byte[] big =
        gen.traces(40, 1L)
            .toByteArray(); // a few of these fill the pipe's buffer: the writer blocks
    int total = FileSink.QUEUE_CAPACITY * 2;
    List<CompletableFuture<Void>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> burst =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < total; i++) {
                futures.add(te.consume(Context.EMPTY, Traces.ofBytes(big)));
              }
            });
    // the producer stalls once the queue is full (no future fails meanwhile)
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (futures.size() < FileSink.QUEUE_CAPACITY && System.nanoTime() - until < 0) {
      Thread.sleep(20);
    }
    Thread.sleep(200);
    assertThat(burst).as("the caller waits for room in the full queue").isNotDone();
    assertThat(futures)
        .hasSizeLessThan(total)
        .noneMatch(CompletableFuture::isCompletedExceptionally);
    // drain the FIFO: every request is written, none refused
    long expected = (long) total * (4 + big.length);
    CompletableFuture<Long> drained =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = reader.join()) {
                long n = 0;
                byte[] buf = new byte[1 << 16];
                for (int r; n < expected && (r = in.read(buf)) > 0; ) {
                  n += r;
                }
                return n;
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    burst.get(60, java.util.concurrent.TimeUnit.SECONDS);
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(drained.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(expected);
    te.shutdown(soon());
  }

  @Test
  void protoRecordsAreLengthPrefixedBigEndian() throws Exception {
    FileExporterFactory f = new FileExporterFactory();
    Exporter<Traces> te =
        f.createTraces(settings(Signal.TRACES), config("t.bin", Format.PROTO, false, null));
    te.start(null);
    TracesData a = gen.traces(4, 1L);
    TracesData b = gen.traces(5, 2L);
    te.consume(Context.EMPTY, Traces.of(a)).get();
    te.consume(Context.EMPTY, Traces.of(b)).get();
    te.shutdown(soon());
    byte[] file = Files.readAllBytes(dir.resolve("t.bin"));
    assertThat(file.length).isEqualTo(8 + a.getSerializedSize() + b.getSerializedSize());
    assertThat(java.nio.ByteBuffer.wrap(file).getInt(0)).isEqualTo(a.getSerializedSize());
    assertThat(readProto(dir.resolve("t.bin"))).containsExactly(a, b);
  }

  private static List<TracesData> readProto(Path p) throws Exception {
    List<TracesData> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(p);
        DataInputStream data = new DataInputStream(in)) {
      while (true) {
        int len;
        try {
          len = data.readInt();
        } catch (EOFException e) {
          return out;
        }
        byte[] b = new byte[len];
        data.readFully(b);
        out.add(TracesData.parseFrom(b));
      }
    }
  }

  @Test
  void truncatesAtStartUnlessAppending() throws Exception {
    Path p = dir.resolve("a.json");
    Files.writeString(p, "old line\n");
    TracesData t = gen.traces(2, 1L);

    FileExporterFactory f = new FileExporterFactory();
    Exporter<Traces> appending =
        f.createTraces(settings(Signal.TRACES), config("a.json", Format.JSON, true, null));
    appending.start(null);
    appending.consume(Context.EMPTY, Traces.of(t)).get();
    appending.shutdown(soon());
    assertThat(lines(p)).hasSize(2).first().isEqualTo("old line");

    Exporter<Traces> truncating = // built by the next service run
        new FileExporterFactory()
            .createTraces(
                settings(Signal.TRACES, SharedComponents.create()),
                config("a.json", Format.JSON, false, null));
    truncating.start(null);
    assertThat(Files.size(p)).isZero();
    truncating.consume(Context.EMPTY, Traces.of(t)).get();
    truncating.shutdown(soon());
    assertThat(lines(p)).hasSize(1);
    assertThat(OtlpJson.decodeTraces(Files.readAllBytes(p))).isEqualTo(t);
  }

  @Test
  void rotatesBySizeAndKeepsMaxBackups() throws Exception {
    FileExporterFactory f = new FileExporterFactory();
    Exporter<Traces> te =
        f.createTraces(
            settings(Signal.TRACES), config("r.json", Format.JSON, false, new Rotation(1, 2)));
    te.start(null);
    TracesData big = gen.traces(700, 1L); // about half a MiB of JSON
    int size = OtlpJson.encode(big).length + 1;
    assertThat(size).isBetween(300_000, 1_000_000);
    int requests = 12;
    for (int i = 0; i < requests; i++) {
      te.consume(Context.EMPTY, Traces.of(big)).get();
    }
    te.shutdown(soon());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    int perFile = (1024 * 1024) / size;
    assertThat(files).hasSize(3); // current + 2 backups
    assertThat(files.get(files.size() - 1).getFileName().toString()).isEqualTo("r.json");
    for (Path p : files) {
      assertThat(p.getFileName().toString())
          .matches("r(-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}(-\\d+)?)?\\.json");
      assertThat(Files.size(p)).isLessThanOrEqualTo(1024 * 1024);
      assertThat(lines(p)).hasSizeBetween(1, perFile);
    }
  }

  @Test
  void rotationSplitsQueuedRequestsAtTheLimitAndKeepsEveryOne() throws Exception {
    FileExporterFactory f = new FileExporterFactory();
    Exporter<Traces> te =
        f.createTraces(
            settings(Signal.TRACES), config("b.json", Format.JSON, false, new Rotation(1, 0)));
    te.start(null);
    TracesData big = gen.traces(500, 1L);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add(te.consume(Context.EMPTY, Traces.of(big))); // queued together: written in batches
    }
    CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get();
    te.shutdown(soon());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    assertThat(files.size()).isGreaterThan(2);
    int lines = 0;
    for (Path p : files) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(1024 * 1024);
      for (String line : lines(p)) {
        assertThat(OtlpJson.decodeTraces(line.getBytes(StandardCharsets.UTF_8))).isEqualTo(big);
        lines++;
      }
    }
    assertThat(lines).isEqualTo(10);
  }

  /** End to end inside the process: generator receiver -> file exporter -> read back. */
  @Test
  void generatorOutputReadsBackItemForItem() throws Exception {
    FileExporterFactory f = new FileExporterFactory();
    FileExporterConfig cfg = config("gen.json", Format.JSON, false, null);
    Exporter<Traces> te = f.createTraces(settings(Signal.TRACES), cfg);
    Exporter<Logs> le = f.createLogs(settings(Signal.LOGS), cfg);
    te.start(null);
    le.start(null);
    GeneratorReceiverConfig d = GeneratorReceiverConfig.DEFAULT;
    GeneratorReceiverConfig gc =
        new GeneratorReceiverConfig(
            9, 0, 250, 40, 4, d.retryBackoff(), d.services(), d.traces(), d.metrics(), d.logs());
    var receiver =
        new io.tiercel.core.builtin.generator.GeneratorReceiverFactory()
            .create(
                Settings.forTest(Kind.RECEIVER, ComponentId.of("generator"), null),
                gc,
                new io.tiercel.core.component.Consumers(te, null, le));
    receiver.start(null);
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!receiver.finished() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    receiver.shutdown(soon());
    te.shutdown(soon());
    le.shutdown(soon());
    long spans = 0;
    long records = 0;
    for (String line : lines(dir.resolve("gen.json"))) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      if (line.startsWith("{\"resourceSpans\"")) {
        spans += io.tiercel.core.pdata.Items.count(OtlpJson.decodeTraces(b));
      } else {
        records += io.tiercel.core.pdata.Items.count(OtlpJson.decodeLogs(b));
      }
    }
    assertThat(spans).isEqualTo(250);
    assertThat(records).isEqualTo(250);
    assertThat(receiver.stats().get(Signal.TRACES).sent()).isEqualTo(250);
  }

  @Test
  void shutdownWithoutStartIsSafe() throws Exception {
    Exporter<Logs> le =
        new FileExporterFactory()
            .createLogs(settings(Signal.LOGS), config("x.json", Format.JSON, false, null));
    le.shutdown(soon());
    le.shutdown(soon());
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  @Test
  void startFailsWithTheReasonWhenTheFileCannotBeOpened() throws Exception {
    Files.createDirectory(dir.resolve("adir"));
    Exporter<Logs> le =
        new FileExporterFactory()
            .createLogs(settings(Signal.LOGS), config("adir", Format.JSON, false, null));
    assertThatThrownBy(() -> le.start(null))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith("cannot open " + dir.resolve("adir") + " for writing: ");
    le.shutdown(soon());
  }
}
