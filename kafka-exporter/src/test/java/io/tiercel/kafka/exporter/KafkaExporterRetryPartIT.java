package io.tiercel.kafka.exporter;

import static io.tiercel.kafka.exporter.KafkaExporterPartialFailureIT.await;
import static io.tiercel.kafka.exporter.KafkaExporterPartialFailureIT.counter;
import static io.tiercel.kafka.exporter.KafkaExporterPartialFailureIT.failedRecords;
import static io.tiercel.kafka.exporter.KafkaExporterPartialFailureIT.spanCounts;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ComponentConfig;
import io.tiercel.core.config.PipelineConfig;
import io.tiercel.core.config.PipelineId;
import io.tiercel.core.config.ServiceConfig;
import io.tiercel.core.config.TelemetryConfig;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Traces;
import io.tiercel.core.service.Service;
import io.tiercel.core.telemetry.MetricsRegistry;
import io.tiercel.kafka.exporter.KafkaExporterPartialFailureIT.PushConfig;
import io.tiercel.kafka.exporter.KafkaExporterPartialFailureIT.PushReceiverFactory;
import io.tiercel.kafka.exporter.KafkaExporterPartialFailureIT.RefusingKafkaFactory;
import io.tiercel.kafka.exporter.KafkaExporterPartialFailureIT.RefusingProducer;
import io.tiercel.testing.TestData;
import io.tiercel.testing.component.TestHost;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker stops taking writes in the middle of a request and comes back: after the first 30 of
 * 50 records were acknowledged the broker is stopped, so the other 20 are not acknowledged (the
 * producer gives up on them after {@code delivery.timeout.ms}, a retryable failure). The exporter
 * reports them as the failed part, and the exporter helper's retries send exactly those 20 until
 * the broker is back: every record arrives once.
 */
@KafkaBrokerTest(childJvm = true)
class KafkaExporterRetryPartIT {
  static KafkaBroker broker;

  private static final Predicate<Exception> TIMED_OUT =
      ex -> ex instanceof org.apache.kafka.common.errors.TimeoutException;

  @BeforeEach
  void brokerRunning() {
    if (!broker.isRunning()) {
      broker.start();
    }
  }

  static void stopBroker() {
    broker.stop();
  }

  /** Records the producer gives up on 3 s after they were sent; no idempotence across restarts. */
  static KafkaExporterConfig config(String topic) {
    return KafkaExporterPartialFailureIT.config(
        broker,
        topic,
        new ProducerSettings(
            1_000_000,
            104_857_600,
            Acks.ONE,
            ProducerCompression.NONE,
            null,
            0,
            16384,
            true,
            Duration.ofMillis(5),
            null,
            null,
            null,
            Duration.ofSeconds(3),
            Duration.ofSeconds(1),
            false));
  }

  @Test
  void aRequestOfFiftyRecordsIsRetriedWithExactlyTheUnacknowledgedOnes() throws Exception {
    String topic = "it_retry_part";
    broker.createTopic(topic, 4);
    TracesData data = TestData.tracesData(50, 2, 31); // 50 traces: 50 records, keyed by trace id
    RefusingProducer[] made = new RefusingProducer[1];
    Settings s = KafkaExporterIT.settings("retry-part");
    KafkaExporter<Traces> e =
        new KafkaExporter<>(
            s,
            config(topic),
            props ->
                made[0] =
                    new RefusingProducer(
                        props, KafkaExporterRetryPartIT::stopBroker, TIMED_OUT, 31));
    e.start(TestHost.create());
    try {
      CompletableFuture<Void> f = e.consume(Context.EMPTY, Traces.of(data));
      await(() -> failedRecords(s.metrics()), 20);
      broker.restart();
      f.get(90, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    RefusingProducer p = made[0];
    List<String> first30 = p.keys.subList(0, 30);
    Set<String> rest = new HashSet<>(KafkaExporterIT.traceIds(data));
    first30.forEach(rest::remove);
    assertThat(rest).hasSize(20);
    // every attempt after the first sent only records that were not acknowledged; the last sent
    // all 20 of them, and each was acknowledged once
    assertThat(p.keysAfter(30)).isSubsetOf(rest);
    assertThat(p.keys.subList(p.keys.size() - 20, p.keys.size()))
        .containsExactlyInAnyOrderElementsOf(rest);
    assertThat(p.acks).hasSize(50);
    assertThat(Set.copyOf(p.acks.values())).containsExactly(1);
    Map<String, Integer> counts = spanCounts(broker, topic);
    assertThat(counts.keySet()).isEqualTo(KafkaExporterIT.spans(data).keySet());
    assertThat(Set.copyOf(counts.values())).as("every span exactly once").containsExactly(1);
    assertThat(counter(s, "otelcol_exporter_sent_spans")).isEqualTo(100);
    assertThat(counter(s, "otelcol_exporter_send_failed_spans")).isZero();
  }

  @Test
  void twoPipelinesSharingAReceiverAndTheExporterEachDeliverEverySpanOnce() throws Exception {
    String topic = "it_refused_fanout";
    broker.createTopic(topic, 4);
    PushReceiverFactory push = new PushReceiverFactory();
    // the pipelines hand the exporter the same data object twice: 100 records; the broker stops
    // before the 31st, so the first request fails partly (20 records) and the second whole
    RefusingKafkaFactory kafka =
        new RefusingKafkaFactory(
            props ->
                new RefusingProducer(props, KafkaExporterRetryPartIT::stopBroker, TIMED_OUT, 31));
    ComponentId pushId = ComponentId.parse("push");
    ComponentId kafkaId = ComponentId.parse("kafka");
    Map<PipelineId, PipelineConfig> pipelines = new LinkedHashMap<>();
    for (String id : List.of("traces/a", "traces/b")) {
      PipelineId pid = PipelineId.parse(id);
      pipelines.put(pid, new PipelineConfig(pid, List.of(pushId), List.of(), List.of(kafkaId)));
    }
    ServiceConfig sc =
        new ServiceConfig(
            Map.of(pushId, new ComponentConfig(pushId, push, new PushConfig())),
            Map.of(),
            Map.of(kafkaId, new ComponentConfig(kafkaId, kafka, config(topic))),
            Map.of(),
            List.of(),
            pipelines,
            new TelemetryConfig("none", "localhost", 0, "info", "console"));
    MetricsRegistry registry = new MetricsRegistry();
    Service service = new Service(sc, BuildInfo.DEFAULT, registry, Clock.systemUTC());
    service.start();
    MetricsRegistry metrics = registry;
    TracesData data = TestData.tracesData(50, 2, 22);
    try {
      CompletableFuture<Void> f = push.next.traces().consume(Context.EMPTY, Traces.of(data));
      assertThat(kafka.made).hasSize(1);
      RefusingProducer p = kafka.made.get(0);
      // the first request failed partly; the second failed whole: its 50 records, or an attempt
      // that found no metadata while the broker was down
      await(
          () ->
              failedRecords(metrics) >= 70
                      || (failedRecords(metrics) >= 20 && p.metadataTimeouts.get() > 0)
                  ? 1
                  : 0,
          1);
      broker.restart();
      f.get(90, TimeUnit.SECONDS);
      // no record acknowledged before the broker stopped was sent again: each key twice in all
      assertThat(p.acks).hasSize(50);
      assertThat(Set.copyOf(p.acks.values())).containsExactly(2);
    } finally {
      service.shutdown(Duration.ofSeconds(10));
    }
    Map<String, Integer> counts = spanCounts(broker, topic);
    assertThat(counts.keySet()).isEqualTo(KafkaExporterIT.spans(data).keySet());
    Collection<Integer> times = counts.values();
    assertThat(Set.copyOf(times)).as("every span once per pipeline").containsExactly(2);
    assertThat(new ArrayList<>(times)).hasSize(100);
  }
}
