package io.tiercel.testing.kafka;

import static io.tiercel.testing.kafka.KafkaBrokerIT.bytes;
import static io.tiercel.testing.kafka.KafkaBrokerIT.string;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The three-node cluster: a topic replicated three ways with {@code min.insync.replicas=2} keeps
 * taking {@code acks=all} writes while the node leading most of its partitions is SIGKILLed, loses
 * none of them, and is fully in sync again once that node is back on its ports and log dir.
 */
@Tag("integration")
class KafkaClusterIT {
  private static KafkaCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = KafkaCluster.start();
  }

  @AfterAll
  static void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void acksAllWritesSurviveTheKillOfTheBusiestLeaderAndTheIsrRecovers() throws Exception {
    assertThat(cluster.size()).isEqualTo(3);
    assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
    cluster.createTopic("replicated", 6);
    assertThat(cluster.inSyncReplicas("replicated").values())
        .as("every partition on all three nodes")
        .allSatisfy(isr -> assertThat(isr).containsExactly(1, 2, 3));
    Map<Integer, Integer> before = cluster.leaders("replicated");
    assertThat(before.values()).allSatisfy(l -> assertThat(l).isBetween(1, 3));
    int victim = cluster.leaderOfMostPartitions("replicated");
    assertThat(before.values().stream().filter(l -> l == victim).count()).isGreaterThanOrEqualTo(2);

    Set<String> acked = new TreeSet<>();
    try (KafkaProducer<byte[], byte[]> p =
        cluster.producer(
            Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                60_000))) {
      send(p, "before", 300, acked);

      cluster.kill(victim);
      assertThat(cluster.isRunning(victim)).isFalse();
      // the writes go on while the dead node still leads (they wait for the new leaders)
      send(p, "during", 300, acked);
      Map<Integer, Integer> during = cluster.leaders("replicated");
      assertThat(during.values()).as("no partition led by the dead node").doesNotContain(victim);
      assertThat(cluster.inSyncReplicas("replicated").values())
          .allSatisfy(isr -> assertThat(isr).hasSize(2).doesNotContain(victim));

      cluster.start(victim);
      assertThat(cluster.isRunning(victim)).isTrue();
      cluster.awaitInSync("replicated", Duration.ofSeconds(60));
      send(p, "after", 300, acked);
    }

    List<ConsumerRecord<byte[], byte[]>> all =
        cluster.consumeAll("replicated", 900, Duration.ofSeconds(60));
    Set<String> values = new TreeSet<>();
    all.forEach(r -> values.add(string(r.value())));
    assertThat(values).isEqualTo(acked);
    assertThat(all).as("idempotent producer: no duplicates").hasSize(900);
    assertThat(cluster.endOffsets("replicated").values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(900);
  }

  @Test
  void gracefulStopKeepsTheQuorumAndTheTopics() throws Exception {
    cluster.createTopic("kept", 3);
    cluster.stop(1);
    assertThat(cluster.isRunning(1)).isFalse();
    // two of three controllers: the quorum still answers metadata requests
    assertThat(cluster.admin().listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
    cluster.start(1);
    cluster.awaitInSync("kept", Duration.ofSeconds(60));
  }

  private static void send(KafkaProducer<byte[], byte[]> p, String prefix, int n, Set<String> acked)
      throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(p.send(new ProducerRecord<>("replicated", bytes("k" + i), bytes(prefix + "-" + i))));
    }
    for (int i = 0; i < n; i++) {
      sent.get(i).get(90, TimeUnit.SECONDS);
      acked.add(prefix + "-" + i);
    }
  }
}
