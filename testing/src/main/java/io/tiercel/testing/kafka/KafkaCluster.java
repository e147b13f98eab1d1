package io.tiercel.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-node Apache Kafka cluster (KRaft) on loopback for tests: every node is a combined
 * broker and controller in its own child JVM, the controllers form one quorum, and internal topics
 * are replicated to every node ({@code min.insync.replicas} 2). A test can {@link #kill(int)
 * SIGKILL}, {@link #stop(int) stop} and {@link #start(int) start} any node again on the same ports
 * and log dir, find the {@link #leaders(String) leader} of every partition, and wait until a
 * topic's replicas are {@link #awaitInSync(String, Duration) in sync} again.
 *
 * <p>Each node runs with a small heap and few request threads: three of them share a two-core
 * machine with the tiers under test. Nodes are numbered from 1. Lifecycle calls are serialized and
 * block until done; the client helpers may be used from any thread.
 */
public final class KafkaCluster implements KafkaClients, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

  /** JVM options of every node: a small heap and a cheap start-up. */
  static final List<String> JVM_ARGS =
      List.of(
          "-Xms32m",
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Djava.net.preferIPv4Stack=true");

  /**
   * How long a node may take to register: three JVMs starting at once on a busy two-core machine
   * have taken over a minute.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Object lock = new Object();
  private final Object adminLock = new Object();
  private final List<BrokerNode> nodes;

  // guarded by adminLock
  private @Nullable Admin admin;
  private boolean closed;

  private KafkaCluster(List<BrokerNode> nodes) {
    this.nodes = nodes;
  }

  /** Starts a three-node cluster and waits until every node is registered. */
  public static KafkaCluster start() {
    return start(3, Map.of());
  }

  /**
   * Starts a cluster of {@code size} nodes (2 or more) with extra broker properties and waits until
   * every node is registered; closes what it started when that fails.
   */
  public static KafkaCluster start(int size, Map<String, String> brokerProperties) {
    if (size < 2) {
      throw new IllegalArgumentException("a cluster has 2 or more nodes; use KafkaBroker for one");
    }
    String clusterId = Uuid.randomUuid().toString();
    List<BrokerNode.Membership> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      members.add(
          new BrokerNode.Membership(clusterId, BrokerNode.freePort(), BrokerNode.freePort()));
    }
    StringJoiner voters = new StringJoiner(",");
    for (int i = 0; i < size; i++) {
      voters.add((i + 1) + "@127.0.0.1:" + members.get(i).controllerPort());
    }
    List<BrokerNode> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Map<String, String> props = clusterProperties(i + 1, voters.toString(), size);
      props.putAll(brokerProperties);
      nodes.add(
          new BrokerNode(true, props, Map.of(), false, START_TIMEOUT, JVM_ARGS, members.get(i)));
    }
    KafkaCluster c = new KafkaCluster(List.copyOf(nodes));
    try {
      c.startAll();
      return c;
    } catch (RuntimeException e) {
      try {
        c.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static Map<String, String> clusterProperties(int nodeId, String voters, int size) {
    String replicas = Integer.toString(size);
    String minIsr = Integer.toString(Math.min(2, size));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", voters);
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("share.coordinator.state.topic.replication.factor", replicas);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("default.replication.factor", replicas);
    p.put("min.insync.replicas", minIsr);
    // three brokers and the tiers share two cores: few request and background threads each
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("num.replica.fetchers", "1");
    return p;
  }

  private void startAll() {
    synchronized (lock) {
      long t0 = System.nanoTime();
      try {
        // no node is ready before a quorum of controllers runs: launch all, then wait for each
        for (BrokerNode n : nodes) {
          n.launch();
        }
        for (int id = 1; id <= nodes.size(); id++) {
          int nodeId = id;
          node(id).awaitReady(() -> probeRegistered(nodeId));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the Kafka cluster", e);
      }
      LOG.info(
          "Kafka cluster of {} nodes ready on {} in {} ms",
          nodes.size(),
          bootstrapServers(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
  }

  /** Throws until the controller lists {@code nodeId} among the live (unfenced) brokers. */
  private void probeRegistered(int nodeId)
      throws ExecutionException, TimeoutException, InterruptedException {
    boolean registered =
        admin()
            .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
            .nodes()
            .get(3, TimeUnit.SECONDS)
            .stream()
            .anyMatch(n -> n.id() == nodeId);
    if (!registered) {
      throw new TimeoutException("node " + nodeId + " is not registered yet");
    }
  }

  /** The number of nodes. */
  public int size() {
    return nodes.size();
  }

  /** Node ids, 1 to {@link #size()}. */
  public List<Integer> nodeIds() {
    List<Integer> ids = new ArrayList<>();
    for (int i = 1; i <= nodes.size(); i++) {
      ids.add(i);
    }
    return ids;
  }

  /**
   * Kills node {@code nodeId} with SIGKILL and waits until its process is gone: no controlled
   * shutdown, no flush. Its partitions move to other leaders once its session times out (3 s).
   */
  public void kill(int nodeId) {
    synchronized (lock) {
      node(nodeId).kill();
      LOG.info("Kafka node {} killed (SIGKILL)", nodeId);
    }
  }

  /** Stops node {@code nodeId} gracefully (SIGTERM, a controlled shutdown) and waits for it. */
  public void stop(int nodeId) {
    synchronized (lock) {
      node(nodeId).stop();
    }
  }

  /**
   * Starts node {@code nodeId} again on its ports and log dir (recovering the log after a kill) and
   * waits until the controller lists it as a live broker. Does nothing when it runs.
   */
  public void start(int nodeId) {
    synchronized (lock) {
      ensureOpen();
      BrokerNode n = node(nodeId);
      if (n.isRunning()) {
        return;
      }
      long t0 = System.nanoTime();
      try {
        n.start(() -> probeRegistered(nodeId));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start Kafka node " + nodeId, e);
      }
      LOG.info(
          "Kafka node {} started again in {} ms",
          nodeId,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
  }

  /** True while node {@code nodeId}'s process runs. */
  public boolean isRunning(int nodeId) {
    synchronized (lock) {
      return node(nodeId).isRunning();
    }
  }

  /** The temp dir of node {@code nodeId} (log dir, {@code server.properties}, its log). */
  public @Nullable Path directory(int nodeId) {
    synchronized (lock) {
      return node(nodeId).dir();
    }
  }

  /** The last {@code lines} lines of node {@code nodeId}'s log. */
  public String logTail(int nodeId, int lines) {
    synchronized (lock) {
      return node(nodeId).logTail(lines);
    }
  }

  /** Every node's PLAINTEXT listener, running or not: clients find the live ones themselves. */
  @Override
  public String bootstrapServers() {
    synchronized (lock) {
      return nodes.stream()
          .map(n -> "127.0.0.1:" + n.port(KafkaBroker.Listener.PLAINTEXT))
          .collect(Collectors.joining(","));
    }
  }

  @Override
  public Map<String, Object> clientConfig() {
    Map<String, Object> m = new HashMap<>();
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return m;
  }

  @Override
  public Admin admin() {
    synchronized (adminLock) {
      ensureOpen();
      if (admin == null) {
        Map<String, Object> cfg = clientConfig();
        cfg.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        cfg.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        cfg.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        admin = Admin.create(cfg);
      }
      return admin;
    }
  }

  /**
   * Creates a topic replicated to every node with {@code min.insync.replicas=2}, and waits until
   * every partition is served by its leader.
   */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /**
   * {@link #createTopic(String, int)} with topic configs (e.g. {@code retention.bytes}); {@code
   * configs} may override {@code min.insync.replicas}.
   */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    Map<String, String> all = new HashMap<>();
    all.put("min.insync.replicas", Integer.toString(Math.min(2, nodes.size())));
    all.putAll(configs);
    TopicReads.createTopic(this, new NewTopic(name, partitions, (short) nodes.size()).configs(all));
  }

  /** The leader node of every partition of {@code topic}; -1 where a partition has none. */
  public Map<Integer, Integer> leaders(String topic) {
    Map<Integer, Integer> out = new TreeMap<>();
    for (TopicPartitionInfo p : describe(topic).partitions()) {
      Node leader = p.leader();
      out.put(p.partition(), leader == null || leader.isEmpty() ? -1 : leader.id());
    }
    return out;
  }

  /** The in-sync replicas (node ids) of every partition of {@code topic}. */
  public Map<Integer, List<Integer>> inSyncReplicas(String topic) {
    Map<Integer, List<Integer>> out = new TreeMap<>();
    for (TopicPartitionInfo p : describe(topic).partitions()) {
      out.put(p.partition(), p.isr().stream().map(Node::id).sorted().toList());
    }
    return out;
  }

  /** The node that leads the most partitions of {@code topic} (the lowest id on a tie). */
  public int leaderOfMostPartitions(String topic) {
    Map<Integer, Integer> counts = new TreeMap<>();
    leaders(topic).values().forEach(l -> counts.merge(l, 1, Integer::sum));
    counts.remove(-1);
    return counts.entrySet().stream()
        .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(e -> -e.getKey()))
        .map(Map.Entry::getKey)
        .orElseThrow(() -> new IllegalStateException("no partition of " + topic + " has a leader"));
  }

  /**
   * Waits until every partition of {@code topic} has every node in sync again (after a node came
   * back and caught up).
   *
   * @throws AssertionError when they are not within {@code timeout}; the message holds the ISRs
   */
  public void awaitInSync(String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, List<Integer>> isr = Map.of();
    while (System.nanoTime() - deadline < 0) {
      isr = inSyncReplicas(topic);
      if (isr.values().stream().allMatch(r -> r.size() == nodes.size())) {
        return;
      }
      sleep(200);
    }
    throw new AssertionError(
        "the replicas of " + topic + " are not all in sync after " + timeout + ": " + isr);
  }

  private TopicDescription describe(String topic) {
    try {
      return admin()
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw KafkaBroker.interruptedOrTimeout("describe topic " + topic, e);
    }
  }

  /** Kills every node, closes the admin client and deletes the temp dirs. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      synchronized (adminLock) {
        if (closed) {
          return;
        }
        closed = true;
        if (admin != null) {
          admin.close(Duration.ofSeconds(5));
          admin = null;
        }
      }
      for (BrokerNode n : nodes) {
        try {
          n.kill();
        } finally {
          n.removeExitHook();
          n.deleteDir();
        }
      }
    }
  }

  @Override
  public String toString() {
    return "KafkaCluster{" + nodes + "}";
  }

  private BrokerNode node(int nodeId) {
    if (nodeId < 1 || nodeId > nodes.size()) {
      throw new IllegalArgumentException("no node " + nodeId + ": nodes are 1 to " + nodes.size());
    }
    return nodes.get(nodeId - 1);
  }

  private void ensureOpen() {
    synchronized (adminLock) {
      if (closed) {
        throw new IllegalStateException("the cluster is closed");
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the cluster", e);
    }
  }
}
