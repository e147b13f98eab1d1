package io.tiercel.testing.kafka;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one node) on free
 * loopback ports, for tests. Two modes:
 *
 * <ul>
 *   <li>in-process (default): a {@code KafkaRaftServer} in the test JVM, ready in a few seconds;
 *   <li>child JVM ({@link Builder#childJvm(boolean)}): {@code kafka.Kafka} in its own process, so
 *       that a test can {@link #kill()} it (SIGKILL), {@link #stop()} it (SIGTERM) and {@link
 *       #restart()} it on the same ports and log dir. Its logs go to {@link #logFile()}; it halts
 *       by itself when the test JVM goes away.
 * </ul>
 *
 * <p>Besides the PLAINTEXT listener, the builder can add a SASL_PLAINTEXT listener (PLAIN,
 * SCRAM-SHA-256 and SCRAM-SHA-512, the same users for all three) and an SSL listener (a self-signed
 * key made with the JDK's {@code keytool}); see {@link #clientConfig(Listener)} and {@link
 * #saslClientConfig(String, String, String)}.
 *
 * <p>Everything lives in one temp dir, deleted by {@link #close()}. Lifecycle calls (start, stop,
 * kill, restart, close) are serialized and block until done; the client helpers may be used from
 * any thread.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9_-]+");
  private static final int LOG_TAIL_LINES = 60;

  /**
   * Set this system property to {@code true} to keep the temp dir (logs, data) after {@link
   * #close()}.
   */
  public static final String KEEP_DIR_PROPERTY = "tiercel.kafka.keepDir";

  /** The client-facing listeners the broker may have. */
  public enum Listener {
    /** No authentication, no encryption; always present. */
    PLAINTEXT,
    /** SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) without TLS; present when users were added. */
    SASL_PLAINTEXT,
    /**
     * TLS with a self-signed certificate for {@code 127.0.0.1}/{@code localhost}; present when
     * enabled.
     */
    SSL
  }

  private final boolean childJvm;
  private final Map<String, String> extraProperties;
  private final Map<String, String> users;
  private final boolean ssl;
  private final Duration startTimeout;
  private final List<String> jvmArgs;

  /** Guards the lifecycle state (dirs, ports, server, process); taken before {@link #adminLock}. */
  private final Object lock = new Object();

  private final Object adminLock = new Object();
  private Path dir;
  private Path dataDir;
  private Path propertiesFile;
  private Path logFile;
  private final Map<Listener, Integer> ports = new LinkedHashMap<>();
  private int controllerPort;
  private TlsMaterial tls;
  private boolean formatted;

  // in-process mode
  private kafka.server.KafkaRaftServer server;
  // child-JVM mode; volatile for the JVM-exit hook
  private volatile Process process;
  private Thread exitHook;

  // guarded by adminLock
  private Admin admin;
  private boolean closed;

  private KafkaBroker(Builder b) {
    this.childJvm = b.childJvm;
    this.extraProperties = Map.copyOf(b.properties);
    this.users = Map.copyOf(b.users);
    this.ssl = b.ssl;
    this.startTimeout = b.startTimeout;
    this.jvmArgs = List.copyOf(b.jvmArgs);
  }

  /** A builder; {@link Builder#start()} starts the broker. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts an in-process broker with a PLAINTEXT listener only. */
  public static KafkaBroker startInProcess() {
    return builder().start();
  }

  /** Starts a child-JVM broker with a PLAINTEXT listener only. */
  public static KafkaBroker startChildJvm() {
    return builder().childJvm(true).start();
  }

  /** True when the broker runs in its own process. */
  public boolean isChildJvm() {
    return childJvm;
  }

  /**
   * Starts the broker (the first call formats the log dir) and waits until {@code describeCluster}
   * answers. Calling it on a running broker does nothing.
   *
   * @throws IllegalStateException when the broker does not come up in time; for a child JVM the
   *     message holds the tail of its log
   */
  public KafkaBroker start() {
    synchronized (lock) {
      ensureOpen();
      if (isRunning()) {
        return this;
      }
      try {
        if (dir == null) {
          prepare();
        }
        if (!formatted) {
          format();
          formatted = true;
        }
        long t0 = System.nanoTime();
        if (childJvm) {
          startChild();
        } else {
          startInProcessServer();
        }
        awaitReady();
        LOG.info(
            "Kafka broker ({}) ready on {} in {} ms",
            childJvm ? "child JVM" : "in-process",
            bootstrapServers(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the Kafka broker in " + dir, e);
      }
    }
  }

  /**
   * Stops the broker gracefully and waits for it: a controlled shutdown (SIGTERM for a child JVM).
   * The log dir and ports are kept for {@link #start()}/{@link #restart()}. Does nothing when it is
   * not running.
   */
  public void stop() {
    synchronized (lock) {
      if (childJvm) {
        Process p = process;
        if (p != null) {
          p.destroy();
          waitForExit(p, Duration.ofSeconds(30));
          process = null;
        }
      } else if (server != null) {
        kafka.server.KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
      }
    }
  }

  /**
   * Kills the child-JVM broker with SIGKILL ({@link Process#destroyForcibly()}) and waits until it
   * is gone: no controlled shutdown, no flush. Only for {@link Builder#childJvm(boolean) child JVM}
   * brokers.
   *
   * @throws UnsupportedOperationException for an in-process broker
   */
  public void kill() {
    synchronized (lock) {
      if (!childJvm) {
        throw new UnsupportedOperationException(
            "kill() needs a child-JVM broker: KafkaBroker.builder().childJvm(true)");
      }
      Process p = process;
      if (p != null) {
        p.destroyForcibly();
        waitForExit(p, Duration.ofSeconds(30));
        process = null;
      }
    }
  }

  /**
   * Stops the broker if it is running (gracefully) and starts it again on the same ports and log
   * dir, so that clients reconnect by themselves. After {@link #kill()} it simply starts again
   * (recovering the log).
   */
  public KafkaBroker restart() {
    synchronized (lock) {
      stop();
      return start();
    }
  }

  /** True while the broker process (or in-process server) is up. */
  public boolean isRunning() {
    synchronized (lock) {
      return childJvm ? process != null && process.isAlive() : server != null;
    }
  }

  /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    return bootstrapServers(Listener.PLAINTEXT);
  }

  /**
   * {@code 127.0.0.1:port} of a listener.
   *
   * @throws IllegalStateException when the broker was built without that listener or never started
   */
  public String bootstrapServers(Listener listener) {
    Integer port;
    synchronized (lock) {
      port = ports.get(listener);
    }
    if (port == null) {
      throw new IllegalStateException(
          dir == null
              ? "the broker was never started"
              : "the broker has no " + listener + " listener (enable it on the builder)");
    }
    return "127.0.0.1:" + port;
  }

  /** The port of the KRaft controller listener. */
  public int controllerPort() {
    synchronized (lock) {
      return controllerPort;
    }
  }

  /** The temp dir holding the log dir, {@code server.properties} and the broker log. */
  public Path directory() {
    synchronized (lock) {
      return dir;
    }
  }

  /**
   * The child JVM's log file (stdout and stderr of every run, appended); null for an in-process
   * broker.
   */
  public Path logFile() {
    synchronized (lock) {
      return childJvm ? logFile : null;
    }
  }

  /** The last {@code lines} lines of the child JVM's log ("" for an in-process broker). */
  public String logTail(int lines) {
    Path f = logFile();
    if (f == null || !Files.exists(f)) {
      return "";
    }
    try {
      List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + f + ": " + e + ")";
    }
  }

  /**
   * Client settings for the PLAINTEXT listener ({@code bootstrap.servers} only), as a fresh mutable
   * map. Add what the client needs and pass it to a producer, consumer or admin.
   */
  public Map<String, Object> clientConfig() {
    return clientConfig(Listener.PLAINTEXT);
  }

  /**
   * Client settings for a listener: {@code bootstrap.servers}, {@code security.protocol} and, for
   * SSL, the truststore that trusts the broker's certificate. For SASL add the mechanism and JAAS
   * config, or use {@link #saslClientConfig(String, String, String)}.
   */
  public Map<String, Object> clientConfig(Listener listener) {
    Map<String, Object> m = new HashMap<>();
    m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(listener));
    m.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, listener.name());
    if (listener == Listener.SSL) {
      m.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
      m.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
      m.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    }
    return m;
  }

  /**
   * Client settings for the SASL_PLAINTEXT listener with {@code mechanism} ({@code PLAIN}, {@code
   * SCRAM-SHA-256} or {@code SCRAM-SHA-512}) and the given credentials (which need not be valid:
   * tests of failed authentication pass a wrong password).
   */
  public Map<String, Object> saslClientConfig(String mechanism, String user, String password) {
    Map<String, Object> m = clientConfig(Listener.SASL_PLAINTEXT);
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    m.put(SaslConfigs.SASL_MECHANISM, mechanism);
    m.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        module + " required username=\"" + user + "\" password=\"" + password + "\";");
    return m;
  }

  /** The PKCS12 truststore holding the broker's self-signed certificate (SSL listener only). */
  public Path truststore() {
    synchronized (lock) {
      requireTls();
      return tls.truststore();
    }
  }

  /** The broker's certificate in PEM, for clients configured with a CA file (SSL listener only). */
  public Path caCertificatePem() {
    synchronized (lock) {
      requireTls();
      return tls.certificatePem();
    }
  }

  /** The password of the keystore and truststore (SSL listener only). */
  public String truststorePassword() {
    synchronized (lock) {
      requireTls();
      return tls.password();
    }
  }

  private void requireTls() {
    if (tls == null) {
      throw new IllegalStateException(
          "the broker has no SSL listener (enable it with Builder.ssl())");
    }
  }

  /**
   * A shared admin client on the PLAINTEXT listener, created on first use and closed by {@link
   * #close()}. Do not close it yourself.
   */
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

  /** Creates a topic with replication factor 1 and waits for it. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /**
   * Creates a topic with replication factor 1 and topic configs (e.g. {@code retention.bytes}), and
   * waits until every partition is served by its leader.
   */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    NewTopic t = new NewTopic(name, partitions, (short) 1).configs(configs);
    try {
      admin().createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
      // the metadata cache names the leader a moment before the replica manager acts as one; a
      // producer that
      // races it gets NOT_LEADER_OR_FOLLOWER, and an idempotent one can then wedge on
      // OUT_OF_ORDER_SEQUENCE.
      // ListOffsets is answered by the leader itself, so its success means the partitions are
      // ready.
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(name, p), OffsetSpec.latest());
      }
      awaitLeaders(name, latest);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        throw new IllegalStateException("topic " + name + " already exists", e.getCause());
      }
      throw new IllegalStateException(
          "cannot create topic " + name + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw interruptedOrTimeout("create topic " + name, e);
    }
  }

  private void awaitLeaders(String topic, Map<TopicPartition, OffsetSpec> partitions)
      throws InterruptedException, TimeoutException, ExecutionException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        admin().listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
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

  /** Deletes a topic and waits for the deletion to be accepted. */
  public void deleteTopic(String name) {
    try {
      admin().deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot delete topic " + name + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw interruptedOrTimeout("delete topic " + name, e);
    }
  }

  /**
   * A new producer of byte arrays on the PLAINTEXT listener; {@code props} override the defaults
   * (bootstrap servers and serializers). The caller closes it.
   */
  public KafkaProducer<byte[], byte[]> producer(Map<String, ?> props) {
    Map<String, Object> cfg = clientConfig();
    cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    cfg.putAll(props);
    return new KafkaProducer<>(cfg);
  }

  /** {@link #producer(Map)} taking {@link Properties}. */
  public KafkaProducer<byte[], byte[]> producer(Properties props) {
    return producer(toMap(props));
  }

  /**
   * A new consumer of byte arrays on the PLAINTEXT listener; {@code props} override the defaults
   * (bootstrap servers, deserializers, {@code auto.offset.reset=earliest}). Set {@code group.id} to
   * use a group. The caller closes it.
   */
  public KafkaConsumer<byte[], byte[]> consumer(Map<String, ?> props) {
    Map<String, Object> cfg = clientConfig();
    cfg.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    cfg.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cfg.putAll(props);
    return new KafkaConsumer<>(cfg);
  }

  /** {@link #consumer(Map)} taking {@link Properties}. */
  public KafkaConsumer<byte[], byte[]> consumer(Properties props) {
    return consumer(toMap(props));
  }

  /**
   * Reads {@code topic} from the beginning of every partition (no consumer group, nothing
   * committed) until at least {@code expectedCount} records arrived, and returns them in arrival
   * order (partition order is kept within a partition). It returns as soon as the count is reached,
   * so it may return more records than expected when more were there.
   *
   * @throws AssertionError when fewer than {@code expectedCount} arrive within {@code timeout}; the
   *     message says how many did
   */
  public List<ConsumerRecord<byte[], byte[]>> consumeAll(
      String topic, int expectedCount, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    // never create the topic by asking for it: a misspelt name must fail, not wait on an empty
    // topic
    try (KafkaConsumer<byte[], byte[]> c =
        consumer(
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

  /**
   * The offsets {@code group} committed, by partition (empty when it committed nothing). Use it to
   * check that a consumer commits only what was processed.
   */
  public Map<TopicPartition, Long> committedOffsets(String group) {
    try {
      Map<TopicPartition, Long> out =
          new java.util.TreeMap<>(
              Comparator.comparing(TopicPartition::topic)
                  .thenComparingInt(TopicPartition::partition));
      admin()
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
      throw interruptedOrTimeout("read the offsets of group " + group, e);
    }
  }

  /**
   * The log-end offset of every partition of {@code topic} (the number of records ever written to
   * each).
   */
  public Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(Map.of())) {
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
   * Stops the broker (a child JVM is killed), closes the admin client and deletes the temp dir.
   * Idempotent.
   */
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
      try {
        if (childJvm) {
          // nothing to keep: no controlled shutdown needed, and it is faster
          kill();
        } else {
          stop();
        }
      } finally {
        if (exitHook != null) {
          try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
          } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same clean-up
          }
        }
        if (Boolean.getBoolean(KEEP_DIR_PROPERTY)) {
          LOG.info("keeping the broker dir {} (-D{}=true)", dir, KEEP_DIR_PROPERTY);
        } else {
          deleteRecursively(dir);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker{"
        + (childJvm ? "child JVM" : "in-process")
        + ", ports="
        + ports
        + ", dir="
        + dir
        + "}";
  }

  // ---------------------------------------------------------------------------------------------------------

  private void ensureOpen() {
    synchronized (adminLock) {
      if (closed) {
        throw new IllegalStateException("the broker is closed");
      }
    }
  }

  private void prepare() throws IOException {
    dir = Files.createTempDirectory("tiercel-kafka-");
    // a test that never calls close() (or a JVM that exits mid-test) must not leave a broker or its
    // data behind
    Path d = dir;
    exitHook =
        new Thread(
            () -> {
              Process p = process;
              if (p != null) {
                p.destroyForcibly();
              }
              if (!Boolean.getBoolean(KEEP_DIR_PROPERTY)) {
                deleteRecursively(d);
              }
            },
            "tiercel-kafka-cleanup");
    Runtime.getRuntime().addShutdownHook(exitHook);
    dataDir = dir.resolve("data");
    Files.createDirectories(dataDir);
    propertiesFile = dir.resolve("server.properties");
    logFile = dir.resolve("broker.log");
    ports.put(Listener.PLAINTEXT, freePort());
    if (!users.isEmpty()) {
      ports.put(Listener.SASL_PLAINTEXT, freePort());
    }
    if (ssl) {
      ports.put(Listener.SSL, freePort());
      tls = TlsMaterial.create(dir.resolve("tls"));
    }
    controllerPort = freePort();
    Properties p = new Properties();
    p.putAll(brokerProperties());
    try (var w = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
      p.store(w, "Tiercel test broker");
    }
  }

  private Map<String, String> brokerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    StringBuilder listeners = new StringBuilder();
    StringBuilder advertised = new StringBuilder();
    StringBuilder protocols = new StringBuilder("CONTROLLER:PLAINTEXT");
    for (Map.Entry<Listener, Integer> e : ports.entrySet()) {
      String l = e.getKey().name() + "://127.0.0.1:" + e.getValue();
      listeners.append(l).append(',');
      advertised.append(advertised.length() == 0 ? "" : ",").append(l);
      protocols.append(',').append(e.getKey().name()).append(':').append(e.getKey().name());
    }
    listeners.append("CONTROLLER://127.0.0.1:").append(controllerPort);
    p.put("listeners", listeners.toString());
    p.put("advertised.listeners", advertised.toString());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", protocols.toString());
    p.put("log.dirs", dataDir.toString());
    // one node: every internal topic at replication factor 1, or consumer groups hang
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // the new consumer protocol hands out assignments on heartbeats (default every 5 s) and evicts
    // a dead member
    // after 45 s: both far too slow for tests of rebalances and processing-instance failover
    p.put("group.consumer.min.heartbeat.interval.ms", "500");
    p.put("group.consumer.heartbeat.interval.ms", "500");
    p.put("group.consumer.min.session.timeout.ms", "3000");
    p.put("group.consumer.session.timeout.ms", "10000");
    // the log cleaner would otherwise take 128 MiB of heap at start
    p.put("log.cleaner.dedupe.buffer.size", "2097152");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "true");
    if (childJvm) {
      // after kill -9 the controller keeps the dead incarnation's registration until its session
      // expires, and
      // rejects the restarted broker (DUPLICATE_BROKER_REGISTRATION) until then: keep that wait
      // short
      p.put("broker.heartbeat.interval.ms", "500");
      p.put("broker.session.timeout.ms", "3000");
    }
    if (!users.isEmpty()) {
      String prefix = "listener.name.sasl_plaintext.";
      p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
      String plainUsers =
          users.entrySet().stream()
              .map(u -> "user_" + u.getKey() + "=\"" + u.getValue() + "\"")
              .collect(Collectors.joining(" "));
      p.put(
          prefix + "plain.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required " + plainUsers + ";");
      p.put(
          prefix + "scram-sha-256.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      p.put(
          prefix + "scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    if (tls != null) {
      String prefix = "listener.name.ssl.";
      p.put(prefix + "ssl.keystore.location", tls.keystore().toString());
      p.put(prefix + "ssl.keystore.password", tls.password());
      p.put(prefix + "ssl.key.password", tls.password());
      p.put(prefix + "ssl.keystore.type", "PKCS12");
    }
    p.putAll(extraProperties);
    return p;
  }

  private void format() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                propertiesFile.toString(),
                "--ignore-formatted"));
    for (Map.Entry<String, String> u : users.entrySet()) {
      for (String mech : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
        args.add("--add-scram");
        args.add(mech + "=[name=" + u.getKey() + ",password=" + u.getValue() + "]");
      }
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      // execute(), not main(): main calls System.exit
      rc = kafka.tools.StorageTool.execute(args.toArray(String[]::new), out);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "formatting the KRaft log dir failed: "
              + e.getMessage()
              + "\n"
              + buf.toString(StandardCharsets.UTF_8),
          e);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "formatting the KRaft log dir failed (exit "
              + rc
              + "):\n"
              + buf.toString(StandardCharsets.UTF_8));
    }
  }

  private void startInProcessServer() {
    Map<String, Object> props = new HashMap<>(brokerProperties());
    kafka.server.KafkaRaftServer s =
        new kafka.server.KafkaRaftServer(new kafka.server.KafkaConfig(props, false), Time.SYSTEM);
    try {
      s.startup();
    } catch (RuntimeException e) {
      try {
        s.shutdown();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException(
          "the in-process Kafka broker failed to start: " + e.getMessage(), e);
    }
    server = s;
  }

  private void startChild() throws IOException {
    Path log4j = dir.resolve("log4j2.xml");
    if (!Files.exists(log4j)) {
      Files.writeString(log4j, CHILD_LOG4J, StandardCharsets.UTF_8);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
    cmd.add("-D" + ChildBrokerMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    cmd.add("-cp");
    cmd.add(childClasspath());
    cmd.add(ChildBrokerMain.class.getName());
    cmd.add(propertiesFile.toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Files.writeString(
        logFile,
        "==== starting broker: " + String.join(" ", cmd.subList(0, cmd.size() - 3)) + " ...\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process = pb.start();
  }

  /**
   * Under Surefire/Failsafe {@code java.class.path} is only the booter jar; the real one is this
   * property.
   */
  static String childClasspath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return cp;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    int port = ports.get(Listener.PLAINTEXT);
    // first the port (cheap, and no client warnings while the JVM boots), then the admin round trip
    while (!accepts(port)) {
      checkAlive(deadline);
      sleep(50);
    }
    while (true) {
      checkAlive(deadline);
      try {
        admin()
            .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
            .nodes()
            .get(3, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the broker", e);
      }
    }
  }

  private void checkAlive(long deadline) {
    if (childJvm && !process.isAlive()) {
      int rc = process.exitValue();
      process = null;
      throw new IllegalStateException(
          "the Kafka broker JVM exited with code "
              + rc
              + " during start-up; log "
              + logFile
              + " ends with:\n"
              + logTail(LOG_TAIL_LINES));
    }
    if (System.nanoTime() - deadline >= 0) {
      String tail = childJvm ? "; log " + logFile + " ends with:\n" + logTail(LOG_TAIL_LINES) : "";
      if (childJvm) {
        process.destroyForcibly();
        waitForExit(process, Duration.ofSeconds(10));
        process = null;
      } else {
        stop();
      }
      throw new IllegalStateException(
          "the Kafka broker did not become ready within " + startTimeout.toMillis() + " ms" + tail);
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitForExit(Process p, Duration timeout) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /** A free port on 127.0.0.1 (bound to port 0, read, closed). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
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
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }

  private static RuntimeException interruptedOrTimeout(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new IllegalStateException("cannot " + what + ": " + e, e);
  }

  private static Map<String, Object> toMap(Properties props) {
    Map<String, Object> m = new HashMap<>();
    props.forEach((k, v) -> m.put(String.valueOf(k), v));
    return m;
  }

  private static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot delete {}", root, e);
    }
  }

  private static final String CHILD_LOG4J =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <Configuration status="WARN">
        <Appenders>
          <Console name="out" target="SYSTEM_OUT">
            <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1} %msg%n%throwable"/>
          </Console>
        </Appenders>
        <Loggers>
          <Logger name="kafka" level="info"/>
          <Logger name="org.apache.kafka" level="info"/>
          <Logger name="org.apache.kafka.clients" level="warn"/>
          <Logger name="kafka.server.KafkaConfig" level="warn"/>
          <Logger name="org.apache.kafka.common.config.AbstractConfig" level="warn"/>
          <Root level="warn"><AppenderRef ref="out"/></Root>
        </Loggers>
      </Configuration>
      """;

  /** Configures a {@link KafkaBroker}. */
  public static final class Builder {
    private boolean childJvm;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> users = new LinkedHashMap<>();
    private boolean ssl;
    private Duration startTimeout = Duration.ofSeconds(60);
    private List<String> jvmArgs =
        List.of(
            "-Xms64m",
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true");

    private Builder() {}

    /**
     * Runs the broker in its own JVM (needed for {@link KafkaBroker#kill()}); default false
     * (in-process).
     */
    public Builder childJvm(boolean childJvm) {
      this.childJvm = childJvm;
      return this;
    }

    /** Sets a broker property (added to, or replacing, the defaults). */
    public Builder brokerProperty(String key, String value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds a SASL user known to PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; the first user adds the
     * SASL_PLAINTEXT listener. Names and passwords are limited to letters, digits, {@code _} and
     * {@code -}.
     */
    public Builder saslUser(String user, String password) {
      if (!SIMPLE.matcher(user).matches() || !SIMPLE.matcher(password).matches()) {
        throw new IllegalArgumentException("SASL user and password must match " + SIMPLE.pattern());
      }
      users.put(user, password);
      return this;
    }

    /**
     * Adds an SSL listener with a self-signed certificate for {@code 127.0.0.1} and {@code
     * localhost}.
     */
    public Builder ssl() {
      this.ssl = true;
      return this;
    }

    /** How long {@link KafkaBroker#start()} waits for the broker; default 60 s. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * JVM options of a child-JVM broker (replacing the defaults, which favour a quick start-up).
     */
    public Builder jvmArgs(List<String> args) {
      this.jvmArgs = List.copyOf(args);
      return this;
    }

    /** A broker that is not started yet. */
    public KafkaBroker build() {
      return new KafkaBroker(this);
    }

    /** Builds and starts the broker; closes it if the start fails. */
    public KafkaBroker start() {
      KafkaBroker b = build();
      try {
        return b.start();
      } catch (RuntimeException e) {
        try {
          b.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }
}
