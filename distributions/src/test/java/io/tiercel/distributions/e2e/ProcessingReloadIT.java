package io.tiercel.distributions.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.config.ConfigLoader;
import io.tiercel.core.service.Service;
import io.tiercel.distributions.e2e.TwoTiers.Export;
import io.tiercel.distributions.e2e.TwoTiers.Sender;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import io.tiercel.testing.process.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reloads the processing tier (kafka -> filter -> file, in this JVM) three times on a real broker
 * while the ingestion tier writes the topic: a filter statement (the receiver is kept: no
 * rebalance), the receiver's own config (it is replaced: the old consumer commits what finished and
 * leaves the group, the new one takes the partitions from the last commit) and the exporter's file.
 * Every span the ingestion tier acknowledged reaches one of the two files (duplicates, from records
 * read again after the receiver's hand-over, are counted, not lost), and the group's lag returns to
 * zero.
 */
@KafkaBrokerTest
class ProcessingReloadIT {
  private static final String TOPIC = "reload_spans";
  private static final String GROUP = "reload-processing";

  static KafkaBroker broker;

  private static String yaml(String statement, int maxInFlight, Path out) {
    return """
    receivers:
      kafka:
        brokers: [%s]
        group_id: %s
        initial_offset: earliest
        session_timeout: 6s
        heartbeat_interval: 2s
        autocommit: {enable: true, interval: 500ms}
        traces: {topics: [%s]}
        max_in_flight: {records: %d, bytes: 67108864}
    processors:
      filter:
        error_mode: ignore
        traces:
          span:
            - 'attributes["reload.never"] == "%s"'
    exporters:
      file/out: {path: %s, format: proto, append: true}
    service:
      telemetry: {metrics: {level: none}}
      pipelines:
        traces: {receivers: [kafka], processors: [filter], exporters: [file/out]}
    """
        .formatted(broker.bootstrapServers(), GROUP, TOPIC, maxInFlight, statement, out);
  }

  @Test
  void reloadingTheProcessingTierLosesNothingAndLagReturnsToZero() throws Exception {
    Path dir = TwoTiers.workDir("ProcessingReloadIT");
    broker.createTopic(TOPIC, 3);
    TraceWorkload w = new TraceWorkload(1500, 1500, 17);
    Path first = dir.resolve("first.otlp");
    Path second = dir.resolve("second.otlp");
    Path config = dir.resolve("processing.yaml");
    Files.writeString(config, yaml("x", 2000, first));
    ConfigLoader loader = new ConfigLoader(ComponentRegistry.load(), System::getenv);
    Service processing =
        new Service(
            loader.load(List.of(config.toString()), List.of()),
            BuildInfo.DEFAULT,
            new io.tiercel.core.telemetry.MetricsRegistry(),
            Clock.systemUTC());
    processing.start();
    int port = TwoTiers.freePort();
    Service ingestion = TwoTiers.ingestion(dir, broker, TOPIC, port);
    List<String> steps =
        List.of(
            yaml("y", 2000, first), // a filter statement: the receiver is kept
            yaml("y", 1000, first), // the receiver's config: it is replaced
            yaml("y", 1000, second)); // the exporter's file
    try (Sender sender = new Sender(port, w.requests, 150)) {
      sender.start();
      for (String step : steps) {
        Thread.sleep(8000); // the sender runs about a minute (4 requests in flight)
        Files.writeString(config, step);
        assertThat(
                processing.reload(
                    () -> loader.load(List.of(config.toString()), List.of()),
                    Duration.ofSeconds(30)))
            .isEmpty();
      }
      sender.join(Duration.ofSeconds(120));
      Await.until(
          "the group to commit every record of the topic",
          Duration.ofSeconds(60),
          Duration.ofMillis(250),
          () -> TwoTiers.drained(broker, TOPIC, GROUP),
          d -> d,
          () -> "");
      assertThat(sender.spansAcked.get()).isEqualTo(w.spanCount);
    } finally {
      ingestion.shutdown(Duration.ofSeconds(10));
      processing.shutdown(Duration.ofSeconds(30));
    }

    Set<String> seen = new HashSet<>();
    int written = 0;
    int inFirst = 0;
    for (Path p : List.of(first, second)) {
      for (Export e : TwoTiers.read(p).exports()) {
        for (var t : e.spansByTrace().entrySet()) {
          for (String span : t.getValue()) {
            written++;
            inFirst += p == first ? 1 : 0;
            seen.add(t.getKey() + "/" + span);
          }
        }
      }
    }
    Set<String> missing = new HashSet<>();
    w.spansByTrace.forEach((t, spans) -> spans.forEach(s -> missing.add(t + "/" + s)));
    missing.removeAll(seen);
    System.out.printf(
        "processing reload: %,d spans acknowledged, %,d written (%,d to the first file, %,d"
            + " duplicates), %d missing%n",
        w.spanCount, written, inFirst, written - seen.size(), missing.size());
    assertThat(missing).as("acknowledged spans that reached no file").isEmpty();
    assertThat(inFirst).as("spans before the exporter's reload").isPositive();
    assertThat(written - inFirst).as("spans after the exporter's reload").isPositive();
  }
}
