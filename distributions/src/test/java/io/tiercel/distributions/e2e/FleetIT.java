package io.tiercel.distributions.e2e;

import io.tiercel.testing.kafka.KafkaCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's fleet tests, the fast versions CI runs, on a three-node cluster: failover (processing
 * SIGKILL, a fourth joins, the busiest broker SIGKILLed and back 5 s later; decision_wait 5 s as in
 * the issue, so that a loaded machine does not hand a trace's last record to tail_sampling after
 * its decision) and a rolling restart of three processing instances. {@link FleetLongIT} runs them
 * at the full size.
 */
@Tag("integration")
class FleetIT {
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
            "FleetIT-failover", 1200, 400, Duration.ofSeconds(5), Duration.ofSeconds(5), 80));
  }

  @Test
  void rollingRestartOfEveryProcessingInstanceLosesNothing() throws Exception {
    Fleet.rollingRestart(
        cluster,
        new Fleet.Scenario(
            "FleetIT-rolling", 1200, 300, Duration.ofSeconds(5), Duration.ofSeconds(5), 80));
  }
}
