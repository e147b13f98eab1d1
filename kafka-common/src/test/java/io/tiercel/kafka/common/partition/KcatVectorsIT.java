package io.tiercel.kafka.common.partition;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.testing.kafka.KafkaBroker;
import io.tiercel.testing.kafka.KafkaBrokerTest;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * librdkafka itself (through Debian's {@code kcat}) partitions 300 keys on a 12-partition topic;
 * our {@link KeyPartitioner} must pick the same partition for every key. Needs {@code kcat} on the
 * PATH ({@code apt-get install -y kcat}).
 */
@KafkaBrokerTest
class KcatVectorsIT {
  static KafkaBroker broker;

  @BeforeAll
  static void needsKcat() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "command -v kcat").redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(
          "kcat is not installed: this test needs Debian's kcat on the PATH "
              + "(apt-get install -y kcat)");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = PartitionerType.class,
      names = {
        "CONSISTENT",
        "CONSISTENT_RANDOM",
        "MURMUR2",
        "MURMUR2_RANDOM",
        "FNV1A",
        "FNV1A_RANDOM"
      })
  void librdkafkaAgrees(PartitionerType type) throws Exception {
    String topic = "kcat_" + type.id();
    broker.createTopic(topic, 12);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      keys.add(i % 3 == 0 ? "key-" + i : String.format("%032x", (long) i * 0x9E3779B97F4A7C15L));
    }
    Process kcat =
        new ProcessBuilder(
                "kcat",
                "-P",
                "-b",
                broker.bootstrapServers(),
                "-t",
                topic,
                "-K:",
                "-X",
                "partitioner=" + type.id())
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = kcat.getOutputStream()) {
      for (String k : keys) {
        in.write((k + ":v\n").getBytes(UTF_8));
      }
    } catch (IOException e) {
      throw new AssertionError(
          "kcat failed: " + new String(kcat.getInputStream().readAllBytes(), UTF_8), e);
    }
    assertThat(kcat.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kcat.exitValue())
        .as(new String(kcat.getInputStream().readAllBytes(), UTF_8))
        .isZero();
    List<ConsumerRecord<byte[], byte[]>> got =
        broker.consumeAll(topic, keys.size(), Duration.ofSeconds(60));
    assertThat(got).hasSize(keys.size());
    KeyPartitioner ours = new KeyPartitioner(type);
    for (ConsumerRecord<byte[], byte[]> r : got) {
      assertThat(r.partition())
          .as(new String(r.key(), UTF_8))
          .isEqualTo(ours.partition(r.key(), 12));
    }
  }
}
