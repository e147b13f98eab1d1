package io.tiercel.testing.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What a test reads back from a {@link KafkaBroker}: a topic's records and offsets, a group's
 * commits.
 */
final class TopicReads {
  private TopicReads() {}

  static List<ConsumerRecord<byte[], byte[]>> consumeAll(
      KafkaBroker broker, String topic, int expectedCount, Duration timeout) {
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

  static Map<TopicPartition, Long> committedOffsets(KafkaBroker broker, String group) {
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

  static Map<TopicPartition, Long> endOffsets(KafkaBroker broker, String topic) {
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
