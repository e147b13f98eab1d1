package io.tiercel.testing.kafka;

import io.tiercel.testing.kafka.KafkaBroker.Listener;
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
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KRaft node behind a {@link KafkaBroker}: its temp dir, free ports and {@code
 * server.properties}, the formatted log dir, and the server itself, in process or in a child JVM.
 * Not thread-safe: the broker calls it under its lifecycle lock.
 */
final class BrokerNode {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final int LOG_TAIL_LINES = 60;

  /** Answers once the broker serves requests; throws while it does not yet. */
  interface ReadinessProbe {
    void check() throws ExecutionException, TimeoutException, InterruptedException;
  }

  /**
   * A node of a {@link KafkaCluster}: the cluster id all nodes format with, and the ports picked up
   * front (every node's {@code controller.quorum.voters} names every controller port).
   */
  record Membership(String clusterId, int port, int controllerPort) {}

  private final boolean childJvm;
  private final Map<String, String> extraProperties;
  private final Map<String, String> users;
  private final boolean ssl;
  private final Duration startTimeout;
  private final List<String> jvmArgs;
  private final @Nullable Membership membership;

  private Path dir;
  private Path dataDir;
  private Path propertiesFile;
  private Path logFile;
  private final Map<Listener, Integer> ports = new LinkedHashMap<>();
  private int controllerPort;
  private @Nullable TlsMaterial tls;
  private boolean formatted;

  // in-process mode
  private kafka.server.@Nullable KafkaRaftServer server;
  // child-JVM mode; volatile for the JVM-exit hook
  private volatile @Nullable Process process;
  private @Nullable Thread exitHook;

  BrokerNode(
      boolean childJvm,
      Map<String, String> extraProperties,
      Map<String, String> users,
      boolean ssl,
      Duration startTimeout,
      List<String> jvmArgs,
      @Nullable Membership membership) {
    this.childJvm = childJvm;
    this.membership = membership;
    this.extraProperties = Map.copyOf(extraProperties);
    this.users = Map.copyOf(users);
    this.ssl = ssl;
    this.startTimeout = startTimeout;
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  boolean childJvm() {
    return childJvm;
  }

  /**
   * Starts the node (the first call makes the temp dir, picks the ports and formats the log dir)
   * and waits until {@code probe} passes.
   *
   * @throws IllegalStateException when it does not come up in time; for a child JVM the message
   *     holds the tail of its log
   */
  void start(ReadinessProbe probe) throws IOException {
    launch();
    awaitReady(probe);
  }

  /**
   * Starts the node without waiting for it (the first call makes the temp dir, picks the ports and
   * formats the log dir): the nodes of a cluster start together, since none is ready before a
   * quorum of controllers runs.
   */
  void launch() throws IOException {
    if (dir == null) {
      prepare();
    }
    if (!formatted) {
      format();
      formatted = true;
    }
    if (childJvm) {
      startChild();
    } else {
      startInProcessServer();
    }
  }

  /** Stops the broker gracefully and waits for it; nothing when it is not running. */
  void stop() {
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

  /** Kills the child JVM (SIGKILL) and waits until it is gone. */
  void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      waitForExit(p, Duration.ofSeconds(30));
      process = null;
    }
  }

  /** True while the broker process (or in-process server) is up. */
  boolean isRunning() {
    Process p = process;
    return childJvm ? p != null && p.isAlive() : server != null;
  }

  /** True once the temp dir and ports exist (after the first start). */
  boolean prepared() {
    return dir != null;
  }

  /** The port of {@code listener}, or null when the node has none (or was never started). */
  @Nullable Integer port(Listener listener) {
    return ports.get(listener);
  }

  int controllerPort() {
    return controllerPort;
  }

  @Nullable Path dir() {
    return dir;
  }

  /** The child JVM's log file; null for an in-process broker. */
  @Nullable Path logFile() {
    return childJvm ? logFile : null;
  }

  @Nullable TlsMaterial tls() {
    return tls;
  }

  /** Forgets the JVM-exit clean-up hook (the broker is being closed). */
  void removeExitHook() {
    if (exitHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it does the same clean-up
      }
    }
  }

  /** Deletes the temp dir, unless {@link KafkaBroker#KEEP_DIR_PROPERTY} is set. */
  void deleteDir() {
    if (Boolean.getBoolean(KafkaBroker.KEEP_DIR_PROPERTY)) {
      LOG.info("keeping the broker dir {} (-D{}=true)", dir, KafkaBroker.KEEP_DIR_PROPERTY);
    } else {
      deleteRecursively(dir);
    }
  }

  @Override
  public String toString() {
    return (childJvm ? "child JVM" : "in-process") + ", ports=" + ports + ", dir=" + dir;
  }

  /** The last {@code lines} lines of the child JVM's log ("" for an in-process broker). */
  String logTail(int lines) {
    Path f = childJvm ? logFile : null;
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
              if (!Boolean.getBoolean(KafkaBroker.KEEP_DIR_PROPERTY)) {
                deleteRecursively(d);
              }
            },
            "tiercel-kafka-cleanup");
    Runtime.getRuntime().addShutdownHook(exitHook);
    dataDir = dir.resolve("data");
    Files.createDirectories(dataDir);
    propertiesFile = dir.resolve("server.properties");
    logFile = dir.resolve("broker.log");
    ports.put(Listener.PLAINTEXT, membership == null ? freePort() : membership.port());
    if (!users.isEmpty()) {
      ports.put(Listener.SASL_PLAINTEXT, freePort());
    }
    if (ssl) {
      ports.put(Listener.SSL, freePort());
      tls = TlsMaterial.create(dir.resolve("tls"));
    }
    controllerPort = membership == null ? freePort() : membership.controllerPort();
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
    // a dead member after 45 s: both far too slow for tests of rebalances and processing-instance
    // failover
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
      // expires, and rejects the restarted broker (DUPLICATE_BROKER_REGISTRATION) until then: keep
      // that wait short
      p.put("broker.heartbeat.interval.ms", "500");
      p.put("broker.session.timeout.ms", "3000");
    }
    if (!users.isEmpty()) {
      String prefix = "listener.name.sasl_plaintext.";
      p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
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
      // no server callback handler: Kafka's unsecured validator, which accepts an unsigned JWS
      // ("alg":"none") whose "sub" and "exp" are set; for tests only
      p.put(
          prefix + "oauthbearer.sasl.jaas.config",
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
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
                membership == null ? Uuid.randomUuid().toString() : membership.clusterId(),
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

  /** Waits until the node accepts connections and {@code probe} passes. */
  void awaitReady(ReadinessProbe probe) {
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
        probe.check();
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

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }

  private static void deleteRecursively(@Nullable Path root) {
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
}
