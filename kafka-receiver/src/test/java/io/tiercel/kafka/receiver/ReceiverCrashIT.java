package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.testing.TestData;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import io.tiercel.testing.process.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of a receiving child JVM in the middle of 100,000 spans with a slow exporter downstream,
 * then a restart: every span arrives at least once (the test prints how many arrived twice).
 */
@KafkaBrokerTest
class ReceiverCrashIT {
  static KafkaBroker broker;

  @TempDir Path dir;

  @Test
  void killNineMidStreamThenRestartLosesNoSpan() throws Exception {
    String topic = "crash";
    broker.createTopic(topic, 4);
    Set<String> expected = new HashSet<>();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      TracesData td = TestData.tracesData(10, 5, 10_000 + i);
      for (ResourceSpans rs : td.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            expected.add(TestData.hex(s.getTraceId()) + ":" + TestData.hex(s.getSpanId()));
          }
        }
      }
      values.add(td.toByteArray());
    }
    assertThat(expected).hasSize(100_000);
    new ItSupport(broker).produce(topic, null, values, Map.of());

    Path out = dir.resolve("spans.txt");
    Process first = launch(out, "first");
    try {
      assertThat(slowly(Duration.ofSeconds(60), () -> lines(out) >= 30_000))
          .as("the first child wrote 30%% of the spans")
          .isTrue();
    } finally {
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    long beforeRestart = lines(out);
    Process second = launch(out, "second");
    try {
      assertThat(slowly(Duration.ofSeconds(90), () -> unique(out) >= expected.size()))
          .as("every span arrives after the restart")
          .isTrue();
    } finally {
      second.destroyForcibly();
      second.waitFor(30, TimeUnit.SECONDS);
    }
    List<String> all = Files.readAllLines(out, StandardCharsets.US_ASCII);
    Set<String> seen = new HashSet<>(all);
    long missing =
        expected.stream().filter(s -> !seen.contains(s)).count(); // (containsAll is quadratic)
    assertThat(missing).as("spans lost").isZero();
    assertThat(seen.size()).as("nothing but the sent spans").isEqualTo(expected.size());
    System.out.printf(
        "kill -9 test: %d spans sent, %d lines written (%d before the kill), %d unique, "
            + "%d arrived twice or more%n",
        expected.size(), all.size(), beforeRestart, seen.size(), all.size() - seen.size());
  }

  private Process launch(Path out, String name) {
    return ChildJvm.start(
            List.of("-Xmx256m"),
            CrashTestReceiverMain.class.getName(),
            List.of(broker.bootstrapServers(), "crash", "g-crash", out.toString(), "2"),
            dir.resolve(name + ".log"))
        .process();
  }

  /** Like {@link ItSupport#eventually} but every 250 ms: each check reads the whole file. */
  private static boolean slowly(Duration timeout, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(250);
    }
    return condition.getAsBoolean();
  }

  private static long lines(Path p) {
    try {
      if (!Files.exists(p)) {
        return 0;
      }
      try (var l = Files.lines(p)) {
        return l.count();
      }
    } catch (IOException e) {
      return 0;
    }
  }

  private static long unique(Path p) {
    try {
      if (!Files.exists(p)) {
        return 0;
      }
      try (var l = Files.lines(p)) {
        return l.distinct().count();
      }
    } catch (IOException e) {
      return 0;
    }
  }
}
