package io.tiercel.testing.kafka;

import static io.tiercel.testing.kafka.KafkaBrokerIT.bytes;
import static io.tiercel.testing.kafka.KafkaBrokerIT.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** A child-JVM broker survives kill -9: every acknowledged record is there after the restart. */
@KafkaBrokerTest(childJvm = true)
class ChildJvmBrokerIT {
  static KafkaBroker broker;

  @Test
  void acknowledgedRecordsSurviveKillAndRestartOnTheSamePorts() throws Exception {
    assertThat(broker.isChildJvm()).isTrue();
    String bootstrap = broker.bootstrapServers();
    broker.createTopic("durable", 2);

    Set<String> acked = new TreeSet<>();
    // SIGKILL loses no acknowledged write: the page cache outlives the process
    try (KafkaProducer<byte[], byte[]> p =
        broker.producer(
            Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true))) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        sent.add(p.send(new ProducerRecord<>("durable", bytes("k" + i), bytes("before-" + i))));
      }
      for (int i = 0; i < sent.size(); i++) {
        sent.get(i).get(30, TimeUnit.SECONDS);
        acked.add("before-" + i);
      }

      broker.kill();
      assertThat(broker.isRunning()).isFalse();
      broker.restart();
      assertThat(broker.isRunning()).isTrue();
      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);

      // the same producer reconnects to the restarted broker by itself
      for (int i = 0; i < 50; i++) {
        p.send(new ProducerRecord<>("durable", bytes("k" + i), bytes("after-" + i)))
            .get(30, TimeUnit.SECONDS);
        acked.add("after-" + i);
      }
    }

    List<ConsumerRecord<byte[], byte[]>> all =
        broker.consumeAll("durable", 250, Duration.ofSeconds(30));
    Set<String> values = new TreeSet<>();
    all.forEach(r -> values.add(string(r.value())));
    assertThat(values).isEqualTo(acked);
    assertThat(all).hasSize(250);
    assertThat(Files.readString(broker.logFile())).contains("==== starting broker");
  }

  @Test
  void gracefulStopAndStartKeepsTopics() throws Exception {
    broker.createTopic("kept", 1);
    broker.stop();
    assertThat(broker.isRunning()).isFalse();
    broker.start();
    assertThat(broker.admin().listTopics().names().get(10, TimeUnit.SECONDS)).contains("kept");
  }
}
