package io.tiercel.testing.kafka;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KafkaCluster} from the command line until the process is stopped (Ctrl-C or
 * SIGTERM), for trying the tiers against a replicated cluster by hand: {@code bin/tiercel demo
 * --brokers <printed list>}. Argument: the number of nodes (default 3). Topics a client creates
 * without a replication factor get the cluster's default, every node.
 */
public final class KafkaClusterMain {
  private KafkaClusterMain() {}

  /**
   * Starts the cluster, prints its bootstrap servers and waits.
   *
   * @param args optionally the number of nodes (2 or more)
   */
  public static void main(String[] args) throws InterruptedException {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    KafkaCluster cluster = KafkaCluster.start(nodes, Map.of());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cluster.close();
                  stopped.countDown();
                },
                "tiercel-kafka-cluster-stop"));
    System.out.println("Kafka cluster of " + nodes + " nodes: " + cluster.bootstrapServers());
    System.out.println("Stop it with Ctrl-C.");
    stopped.await();
  }
}
