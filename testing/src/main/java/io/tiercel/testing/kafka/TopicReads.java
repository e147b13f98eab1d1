package io.tiercel.testing.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Topic creation that waits for the leaders, and what a test reads back from a broker or cluster: a
 * topic's records and offsets, a group's commits.
 */
final class TopicReads {
  private TopicReads() {}

  static List<ConsumerRecord<byte[], byte[]>> consumeAll(
      KafkaClients broker, String topic, int expectedCount, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    // never create the topic by asking for it: a misspelt name must fail, not wait on an empty
    // topic
    try (KafkaConsumer<byte[], byte[]> c =
        broker.consumer(
            Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                false))) {
      List<TopicPartition> tps = new ArrayList<>();
      while (tps.isEmpty()) {
        List<PartitionInfo> infos = c.partitionsFor(topic, remaining(deadline));
        if (infos != null) {
          for (PartitionInfo p : infos) {
            tps.add(new TopicPartition(topic, p.partition()));
          }
        }
        if (tps.isEmpty() && System.nanoTime() - deadline >= 0) {
          throw new AssertionError(
              "expected "
                  + expectedCount
                  + " records from topic "
                  + topic
                  + " but it has no partitions after "
                  + timeout.toMillis()
                  + " ms");
        }
        if (tps.isEmpty()) {
          sleep(50);
        }
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      while (out.size() < expectedCount) {
        Duration left = remaining(deadline);
        if (left.isZero()) {
          throw new AssertionError(
              "expected "
                  + expectedCount
                  + " records from topic "
                  + topic
                  + " but only "
                  + out.size()
                  + " arrived within "
                  + timeout.toMillis()
                  + " ms");
        }
        c.poll(left.compareTo(Duration.ofMillis(200)) < 0 ? left : Duration.ofMillis(200))
            .forEach(out::add);
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new AssertionError(
          "expected "
              + expectedCount
              + " records from topic "
              + topic
              + " but only "
              + out.size()
              + " arrived within "
              + timeout.toMillis()
              + " ms ("
              + e.getMessage()
              + ")",
          e);
    }
    return out;
  }

  static Map<TopicPartition, Long> committedOffsets(KafkaClients broker, String group) {
    try {
      Map<TopicPartition, Long> out =
          new java.util.TreeMap<>(
              Comparator.comparing(TopicPartition::topic)
                  .thenComparingInt(TopicPartition::partition));
      broker
          .admin()
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (tp, om) -> {
                if (om != null) {
                  out.put(tp, om.offset());
                }
              });
      return out;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot read the offsets of group " + group + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw KafkaBroker.interruptedOrTimeout("read the offsets of group " + group, e);
    }
  }

  static Map<TopicPartition, Long> endOffsets(KafkaClients broker, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = broker.consumer(Map.of())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
        tps.add(new TopicPartition(topic, p.partition()));
      }
      Map<TopicPartition, Long> out =
          new java.util.TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
      out.putAll(c.endOffsets(tps, Duration.ofSeconds(30)));
      return out;
    }
  }

  /**
   * Creates {@code topic} and waits until every partition is served by its leader.
   *
   * @throws IllegalStateException when it exists already or cannot be created
   */
  static void createTopic(KafkaClients clients, NewTopic topic) {
    String name = topic.name();
    try {
      clients.admin().createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      // the metadata cache names the leader a moment before the replica manager acts as one; a
      // producer that races it gets NOT_LEADER_OR_FOLLOWER, and an idempotent one can then wedge on
      // OUT_OF_ORDER_SEQUENCE. ListOffsets is answered by the leader itself, so its success means
      // the partitions are ready.
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < topic.numPartitions(); p++) {
        latest.put(new TopicPartition(name, p), OffsetSpec.latest());
      }
      awaitLeaders(clients, latest);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        throw new IllegalStateException("topic " + name + " already exists", e.getCause());
      }
      throw new IllegalStateException(
          "cannot create topic " + name + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw KafkaBroker.interruptedOrTimeout("create topic " + name, e);
    }
  }

  private static void awaitLeaders(KafkaClients clients, Map<TopicPartition, OffsetSpec> partitions)
      throws InterruptedException, TimeoutException, ExecutionException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        clients.admin().listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        // the admin client gives up on an unknown topic at once: the broker has not seen it yet
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() - deadline >= 0) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for records", e);
    }
  }
}
