package io.tiercel.core.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Host;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.StatusRegistry;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.extension.storage.FileStorageConfig;
import io.tiercel.core.extension.storage.FileStorageExtensionFactory;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentQueueTest {
  private static final ComponentId STORAGE = ComponentId.parse("file_storage/q");
  private static final RetryConfig FAST =
      new RetryConfig(true, Duration.ofMillis(5), 0, 1.5, Duration.ofMillis(20), Duration.ZERO);
  private static final QueueConfig PERSISTENT =
      new QueueConfig(true, 2, 100, Sizer.REQUESTS, false, false, STORAGE.toString());

  @TempDir Path dir;

  private Extension storage() throws Exception {
    Extension ext =
        new FileStorageExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, STORAGE, null),
                new FileStorageConfig(
                    dir.toString(), Duration.ofMillis(100), true, false, "0750", Map.of()));
    ext.start(host(Map.of()));
    return ext;
  }

  private static Host host(Map<ComponentId, Extension> exts) {
    StatusRegistry status = new StatusRegistry();
    return new Host() {
      @Override
      public Map<ComponentId, Extension> extensions() {
        return exts;
      }

      @Override
      public StatusRegistry status() {
        return status;
      }
    };
  }

  static Traces spans(String name, int n) {
    TracesData.Builder b = TracesData.newBuilder();
    var ss = b.addResourceSpansBuilder().addScopeSpansBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder().setName(name + i));
    }
    return Traces.of(b.build());
  }

  private static Settings exporter() {
    return Settings.forTest(Kind.EXPORTER, ComponentId.parse("otlp/backend"), Signal.TRACES);
  }

  private List<Path> queueFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".req") && !p.toString().contains("corrupt"))
          .toList();
    }
  }

  @Test
  void requestsSurviveACrashAndAreReplayedWithTheirMetadata() throws Exception {
    Extension ext1 = storage();
    var down =
        new ExporterHelper<Traces>(
            exporter(),
            Duration.ZERO,
            FAST,
            PERSISTENT,
            (ctx, d) -> CompletableFuture.failedFuture(new RetryableException("backend down")));
    down.start(host(Map.of(STORAGE, ext1)));
    Context tenant = Context.of(Map.of("x-tenant", List.of("acme")));
    for (int i = 0; i < 5; i++) {
      down.consume(tenant, spans("r" + i + "-", i + 1))
          .get(2, TimeUnit.SECONDS); // acknowledged: on disk
    }
    assertThat(queueFiles()).hasSize(5);
    // "kill -9": the exporter is abandoned without shutdown; only the directory lock is released.
    ext1.shutdown(Deadline.in(Duration.ofSeconds(1)));

    Extension ext2 = storage();
    List<String> received = new CopyOnWriteArrayList<>();
    var up =
        new ExporterHelper<Traces>(
            exporter(),
            Duration.ZERO,
            FAST,
            PERSISTENT,
            (ctx, d) -> {
              received.add(ctx.first("x-tenant").orElse("?") + ":" + d.itemCount());
              return CompletableFuture.completedFuture(null);
            });
    up.start(host(Map.of(STORAGE, ext2)));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((received.size() < 5 || !queueFiles().isEmpty()) && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(received)
        .containsExactlyInAnyOrder("acme:1", "acme:2", "acme:3", "acme:4", "acme:5");
    assertThat(queueFiles()).isEmpty();
    up.shutdown(Deadline.in(Duration.ofSeconds(1)));
    ext2.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }

  @Test
  void aCleanShutdownKeepsUnsentRequestsOnDisk() throws Exception {
    Extension ext = storage();
    var down =
        new ExporterHelper<Traces>(
            exporter(),
            Duration.ZERO,
            FAST,
            PERSISTENT,
            (ctx, d) -> CompletableFuture.failedFuture(new RetryableException("backend down")));
    down.start(host(Map.of(STORAGE, ext)));
    for (int i = 0; i < 3; i++) {
      down.consume(Context.EMPTY, spans("s", 2)).get(2, TimeUnit.SECONDS);
    }
    down.shutdown(Deadline.in(Duration.ofMillis(100)));
    assertThat(queueFiles()).hasSize(3);
    ext.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }

  @Test
  void corruptFilesAreMovedAsideNotReplayed() throws Exception {
    Extension ext = storage();
    var down =
        new ExporterHelper<Traces>(
            exporter(),
            Duration.ZERO,
            FAST,
            PERSISTENT,
            (ctx, d) -> CompletableFuture.failedFuture(new RetryableException("backend down")));
    down.start(host(Map.of(STORAGE, ext)));
    down.consume(Context.EMPTY, spans("ok", 1)).get(2, TimeUnit.SECONDS);
    down.consume(Context.EMPTY, spans("bad", 1)).get(2, TimeUnit.SECONDS);
    down.shutdown(Deadline.in(Duration.ofMillis(50)));
    ext.shutdown(Deadline.in(Duration.ofSeconds(1)));
    List<Path> files = queueFiles().stream().sorted().toList();
    byte[] b = Files.readAllBytes(files.get(1));
    b[b.length / 2] ^= 0x5a;
    Files.write(files.get(1), b);

    Extension ext2 = storage();
    List<String> received = new CopyOnWriteArrayList<>();
    var up =
        new ExporterHelper<Traces>(
            exporter(),
            Duration.ZERO,
            FAST,
            PERSISTENT,
            (ctx, d) -> {
              received.add(d.message().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName());
              return CompletableFuture.completedFuture(null);
            });
    up.start(host(Map.of(STORAGE, ext2)));
    Thread.sleep(100);
    assertThat(received).containsExactly("ok0");
    try (Stream<Path> s = Files.walk(dir)) {
      assertThat(
              s.filter(p -> p.toString().contains("corrupt") && p.toString().endsWith(".req"))
                  .count())
          .isEqualTo(1);
    }
    up.shutdown(Deadline.in(Duration.ofSeconds(1)));
    ext2.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }

  @Test
  void aMissingStorageExtensionFailsStartNamingTheKey() {
    var h =
        new ExporterHelper<Traces>(
            exporter(),
            Duration.ZERO,
            FAST,
            PERSISTENT,
            (ctx, d) -> CompletableFuture.completedFuture(null));
    assertThatThrownBy(() -> h.start(host(Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "exporters.otlp/backend.sending_queue.storage: \"file_storage/q\" is not a configured"
                + " storage extension (add it under extensions and service.extensions)");
  }

  @Test
  void theDirectoryIsLockedAgainstASecondCollectorAndMustExist() throws Exception {
    Extension first = storage();
    Extension second =
        new FileStorageExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, STORAGE, null),
                new FileStorageConfig(
                    dir.toString(), Duration.ofMillis(50), false, false, "0750", Map.of()));
    assertThatThrownBy(() -> second.start(host(Map.of())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is locked by another process (waited PT0.05S)");
    first.shutdown(Deadline.in(Duration.ofSeconds(1)));

    Path missing = dir.resolve("nope");
    Extension third =
        new FileStorageExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, STORAGE, null),
                new FileStorageConfig(
                    missing.toString(), Duration.ofMillis(50), false, false, "0750", Map.of()));
    assertThatThrownBy(() -> third.start(host(Map.of())))
        .hasMessage(
            "extensions.file_storage/q.directory: "
                + missing
                + " does not exist (create it, or set create_directory: true)");
    Extension fourth =
        new FileStorageExtensionFactory()
            .create(
                Settings.forTest(Kind.EXTENSION, STORAGE, null),
                new FileStorageConfig(
                    missing.toString(), Duration.ofMillis(50), false, true, "0750", Map.of()));
    fourth.start(host(Map.of()));
    assertThat(missing).isDirectory();
    fourth.shutdown(Deadline.in(Duration.ofSeconds(1)));
  }

  /** The text of every queue file, for span names. */
  private String storedNames() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Path p : queueFiles()) {
      sb.append(new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    return sb.toString();
  }

  /**
   * The stored names while the queue may be replacing a file (it writes a temporary file and
   * renames it over the old one): a file that vanishes between the listing and the read is read
   * next time.
   */
  private String storedNamesWhileWriting() throws IOException {
    try {
      return storedNames();
    } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException e) {
      return "";
    }
  }

  @Test
  void aPartlySentRequestLeavesOnlyItsFailedPartOnDisk() throws Exception {
    Extension ext1 = storage();
    var partial =
        new ExporterHelper<Traces>(
            exporter(),
            Duration.ZERO,
            new RetryConfig(
                true, Duration.ofSeconds(30), 0, 1.5, Duration.ofSeconds(30), Duration.ZERO),
            PERSISTENT,
            (ctx, d) ->
                CompletableFuture.failedFuture(
                    new RetryableException("2 of 6 failed", null, null, spans("left-", 2))));
    partial.start(host(Map.of(STORAGE, ext1)));
    partial.consume(Context.EMPTY, spans("r-", 6)).get(2, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!storedNamesWhileWriting().contains("left-0") && System.nanoTime() < deadline) {
      Thread.sleep(10); // the first attempt failed partly; its retry waits 30 s
    }
    partial.shutdown(Deadline.in(Duration.ofSeconds(2))); // keeps what is left for the restart
    assertThat(queueFiles()).hasSize(1);
    assertThat(storedNames()).contains("left-0", "left-1").doesNotContain("r-0");
    ext1.shutdown(Deadline.in(Duration.ofSeconds(1)));

    Extension ext2 = storage();
    List<Traces> received = new CopyOnWriteArrayList<>();
    var up =
        new ExporterHelper<Traces>(
            exporter(),
            Duration.ZERO,
            FAST,
            PERSISTENT,
            (ctx, d) -> {
              received.add(d);
              return CompletableFuture.completedFuture(null);
            });
    up.start(host(Map.of(STORAGE, ext2)));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (received.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    up.shutdown(Deadline.in(Duration.ofSeconds(2)));
    ext2.shutdown(Deadline.in(Duration.ofSeconds(1)));
    assertThat(received).containsExactly(spans("left-", 2));
  }
}
