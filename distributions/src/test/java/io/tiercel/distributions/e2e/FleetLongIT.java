package io.tiercel.distributions.e2e;

import io.tiercel.testing.kafka.KafkaCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link FleetIT} at the size of issue 15: {@code decision_wait} 5 s, the broker down for 20 s,
 * more traffic. Tagged {@code long}, which the default build leaves out; run it with {@code
 * -Dit.test=FleetLongIT -Dit.excludedGroups=none}.
 */
@Tag("integration")
@Tag("long")
class FleetLongIT {
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
  void failoverOfProcessingInstancesAndTheBusiestBrokerLosesNoKeptSpan() throws Exception {
    Fleet.failover(
        cluster,
        new Fleet.Scenario(
            "FleetLongIT-failover",
            9000,
            3000,
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            100));
  }

  @Test
  void rollingRestartOfEveryProcessingInstanceLosesNothing() throws Exception {
    Fleet.rollingRestart(
        cluster,
        new Fleet.Scenario(
            "FleetLongIT-rolling", 8000, 2000, Duration.ofSeconds(5), Duration.ofSeconds(20), 100));
  }
}
