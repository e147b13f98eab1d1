package io.tiercel.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The in-process broker through {@link KafkaBrokerTest}: produce, consume, consumer groups (both
 * protocols).
 */
@KafkaBrokerTest
class KafkaBrokerIT {
  static KafkaBroker broker;
  KafkaBroker instanceField;

  @Test
  void injectsTheSameBrokerAsParameterAndFields(KafkaBroker param) {
    assertThat(param).isSameAs(broker);
    assertThat(instanceField).isSameAs(broker);
    assertThat(broker.isRunning()).isTrue();
    assertThat(broker.isChildJvm()).isFalse();
    assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
  }

  @Test
  void thousandRecordsThroughAClassicGroupThenASecondGroupSeesNothingNew() throws Exception {
    roundTrip("classic", "classic-topic");
  }

  @Test
  void thousandRecordsThroughTheNewConsumerGroupProtocol() throws Exception {
    roundTrip("consumer", "consumer-topic");
  }

  private void roundTrip(String protocol, String topic) throws Exception {
    broker.createTopic(topic, 3);
    try (KafkaProducer<byte[], byte[]> p =
        broker.producer(
            Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5))) {
      for (int i = 0; i < 1000; i++) {
        p.send(new ProducerRecord<>(topic, bytes("k" + i), bytes("v" + i)));
      }
      p.flush();
    }
    String group = "g-" + protocol;
    Map<String, Object> cfg = new HashMap<>();
    cfg.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    cfg.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, String> seen = new TreeMap<>();
    Set<Integer> partitions = new java.util.TreeSet<>();
    int records = 0;
    try (KafkaConsumer<byte[], byte[]> c = broker.consumer(cfg)) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (records < 1000 && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> batch = c.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          records++;
          partitions.add(r.partition());
          seen.put(string(r.key()), string(r.value()));
        }
        c.commitSync();
      }
      assertThat(c.groupMetadata().groupId()).isEqualTo(group);
    }
    assertThat(records).isEqualTo(1000);
    assertThat(seen).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(seen).containsEntry("k" + i, "v" + i);
    }
    assertThat(partitions).containsExactly(0, 1, 2);

    Map<TopicPartition, Long> committed = broker.committedOffsets(group);
    assertThat(committed).isEqualTo(broker.endOffsets(topic));
    assertThat(committed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
    assertThat(broker.committedOffsets("no-such-group")).isEmpty();

    // a second consumer in the same group resumes from the committed offsets: nothing new
    List<ConsumerRecord<byte[], byte[]>> again = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = broker.consumer(cfg)) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (c.assignment().size() < 3 && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(again::add);
      }
      assertThat(c.assignment()).hasSize(3);
      for (TopicPartition tp : c.assignment()) {
        assertThat(c.position(tp)).as("position of %s", tp).isEqualTo(committed.get(tp));
      }
      c.poll(Duration.ofMillis(500)).forEach(again::add);
    }
    assertThat(again).isEmpty();
  }

  @Test
  void consumeAllReturnsEverythingAndFailsNamingHowManyArrived() {
    broker.createTopic("consume-all", 2);
    try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of())) {
      for (int i = 0; i < 10; i++) {
        p.send(new ProducerRecord<>("consume-all", i % 2, bytes("k" + i), bytes("v" + i)));
      }
    }
    List<ConsumerRecord<byte[], byte[]>> all =
        broker.consumeAll("consume-all", 10, Duration.ofSeconds(20));
    assertThat(all).hasSize(10);
    assertThat(all.stream().map(r -> string(r.value())).sorted())
        .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");

    assertThatThrownBy(() -> broker.consumeAll("consume-all", 11, Duration.ofMillis(1500)))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "expected 11 records from topic consume-all but only 10 arrived within 1500 ms");
  }

  @Test
  void consumeAllOfAMissingTopicFailsWithoutCreatingIt() throws Exception {
    assertThatThrownBy(() -> broker.consumeAll("no-such-topic", 1, Duration.ofMillis(1000)))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("expected 1 records from topic no-such-topic but ");
    assertThat(broker.admin().listTopics().names().get(10, TimeUnit.SECONDS))
        .doesNotContain("no-such-topic");
  }

  @Test
  void deletedTopicIsGone() throws Exception {
    broker.createTopic("to-delete", 1);
    assertThatThrownBy(() -> broker.createTopic("to-delete", 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("topic to-delete already exists");
    broker.deleteTopic("to-delete");
    assertThat(broker.admin().listTopics().names().get(10, TimeUnit.SECONDS))
        .doesNotContain("to-delete");
  }

  @Test
  void inProcessRestartKeepsPortsTopicsAndData() throws Exception {
    String bootstrap = broker.bootstrapServers();
    broker.createTopic("survives-restart", 1);
    try (KafkaProducer<byte[], byte[]> p =
        broker.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
      p.send(new ProducerRecord<>("survives-restart", bytes("before"))).get(30, TimeUnit.SECONDS);
    }
    broker.restart();
    assertThat(broker.isRunning()).isTrue();
    assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
    assertThat(broker.consumeAll("survives-restart", 1, Duration.ofSeconds(20)))
        .extracting(r -> string(r.value()))
        .containsExactly("before");
  }

  @Test
  void killNeedsAChildJvm() {
    assertThatThrownBy(broker::kill)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("kill() needs a child-JVM broker: KafkaBroker.builder().childJvm(true)");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
