package io.tiercel.kafka.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.pdata.Traces;
import io.tiercel.testing.TestData;
import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away for 20 s in the middle of a stream and comes back: with acks=all nothing is
 * lost.
 */
@KafkaBrokerTest(childJvm = true)
class KafkaExporterFailoverIT {
  static KafkaBroker broker;

  @org.junit.jupiter.api.BeforeEach
  void brokerRunning() {
    if (!broker.isRunning()) {
      broker.start();
    }
  }

  @Test
  void brokerStoppedTwentySecondsMidStreamLosesNoSpan() throws Exception {
    broker.createTopic("it_failover", 6);
    Map<String, Object> m = KafkaExporterIT.base(broker, "it_failover");
    m.put("partition_traces_by_id", true);
    m.put(
        "producer",
        new ProducerSettings(
            1_000_000,
            104_857_600,
            Acks.ALL,
            ProducerCompression.LZ4,
            null,
            0,
            1_048_576,
            true,
            Duration.ofMillis(5),
            null,
            null,
            null,
            null,
            null,
            null));
    m.put("timeout", Duration.ofSeconds(3));
    KafkaExporter<Traces> e =
        KafkaExporterIT.start(
            KafkaExporterIT.settings("failover"), KafkaExporterConfigTest.with(m));
    List<CompletableFuture<Void>> results = new ArrayList<>();
    Set<String> sentSpans = new HashSet<>();
    try {
      for (int i = 0; i < 60; i++) {
        TracesData d = TestData.tracesData(10, 3, 1000 + i);
        sentSpans.addAll(KafkaExporterIT.spans(d).keySet());
        results.add(e.consume(Context.EMPTY, Traces.of(d)));
        if (i == 20) {
          broker.stop();
        }
        if (i == 40) {
          Thread.sleep(20_000 - 20 * 100);
          broker.restart();
        }
        Thread.sleep(100);
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    List<ConsumerRecord<byte[], byte[]>> got =
        broker.consumeAll("it_failover", 600, Duration.ofSeconds(60));
    Map<String, Integer> seen = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : got) {
      for (String span : KafkaExporterIT.spans(TracesData.parseFrom(r.value())).keySet()) {
        seen.merge(span, 1, Integer::sum);
      }
    }
    assertThat(seen.keySet()).isEqualTo(sentSpans);
    long duplicates = seen.values().stream().filter(n -> n > 1).count();
    System.out.println(
        "failover: "
            + sentSpans.size()
            + " spans sent, "
            + got.size()
            + " records read, "
            + duplicates
            + " spans duplicated");
  }

  @Test
  void brokerDownAtStartIsNotFatal() throws Exception {
    broker.createTopic("it_late", 2);
    broker.stop();
    Map<String, Object> m = KafkaExporterIT.base(broker, "it_late");
    m.put("timeout", Duration.ofSeconds(2));
    KafkaExporter<Traces> e =
        KafkaExporterIT.start(KafkaExporterIT.settings("late"), KafkaExporterConfigTest.with(m));
    Traces t = TestData.traces(5, 2, 9);
    CompletableFuture<Void> f;
    try {
      f = e.consume(Context.EMPTY, t);
      Thread.sleep(3000);
      assertThat(f).isNotDone(); // failing attempts are being retried
      broker.restart();
      f.get(60, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Deadline.in(Duration.ofSeconds(10)));
    }
    assertThat(broker.consumeAll("it_late", 1, Duration.ofSeconds(30)).get(0).value())
        .isEqualTo(t.bytes());
  }
}
