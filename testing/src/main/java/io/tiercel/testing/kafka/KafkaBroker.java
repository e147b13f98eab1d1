package io.tiercel.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one node) on free
 * loopback ports, for tests. Two modes:
 *
 * <ul>
 *   <li>in-process (default): a {@code KafkaRaftServer} in the test JVM, ready in a few seconds;
 *   <li>child JVM ({@link KafkaBrokerBuilder#childJvm(boolean)}): {@code kafka.Kafka} in its own
 *       process, so that a test can {@link #kill()} it (SIGKILL), {@link #stop()} it (SIGTERM) and
 *       {@link #restart()} it on the same ports and log dir. Its logs go to {@link #logFile()}; it
 *       halts by itself when the test JVM goes away.
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
public final class KafkaBroker implements KafkaClients, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  /**
   * Set this system property to {@code true} to keep the temp dir (logs, data) after {@link
   * #close()}.
   */
  public static final String KEEP_DIR_PROPERTY = "tiercel.kafka.keepDir";

  /** The client-facing listeners the broker may have. */
  public enum Listener {
    /** No authentication, no encryption; always present. */
    PLAINTEXT,
    /**
     * SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, and OAUTHBEARER with Kafka's unsecured test
     * tokens: {@link KafkaBroker#unsecuredToken}) without TLS; present when users were added.
     */
    SASL_PLAINTEXT,
    /**
     * TLS with a self-signed certificate for {@code 127.0.0.1}/{@code localhost}; present when
     * enabled.
     */
    SSL
  }

  /** Guards the node's lifecycle; taken before {@link #adminLock}. */
  private final Object lock = new Object();

  private final Object adminLock = new Object();
  private final BrokerNode node;

  // guarded by adminLock
  private @Nullable Admin admin;
  private boolean closed;

  KafkaBroker(BrokerNode node) {
    this.node = node;
  }

  /** A builder; {@link KafkaBrokerBuilder#start()} starts the broker. */
  public static KafkaBrokerBuilder builder() {
    return new KafkaBrokerBuilder();
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
    return node.childJvm();
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
        long t0 = System.nanoTime();
        node.start(
            () ->
                admin()
                    .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                    .nodes()
                    .get(3, TimeUnit.SECONDS));
        LOG.info(
            "Kafka broker ({}) ready on {} in {} ms",
            node.childJvm() ? "child JVM" : "in-process",
            bootstrapServers(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the Kafka broker in " + node.dir(), e);
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
      node.stop();
    }
  }

  /**
   * Kills the child-JVM broker with SIGKILL ({@link Process#destroyForcibly()}) and waits until it
   * is gone: no controlled shutdown, no flush. Only for {@link KafkaBrokerBuilder#childJvm(boolean)
   * child JVM} brokers.
   *
   * @throws UnsupportedOperationException for an in-process broker
   */
  public void kill() {
    synchronized (lock) {
      if (!node.childJvm()) {
        throw new UnsupportedOperationException(
            "kill() needs a child-JVM broker: KafkaBroker.builder().childJvm(true)");
      }
      node.kill();
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
      return node.isRunning();
    }
  }

  /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
  @Override
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
    boolean prepared;
    synchronized (lock) {
      port = node.port(listener);
      prepared = node.prepared();
    }
    if (port == null) {
      throw new IllegalStateException(
          !prepared
              ? "the broker was never started"
              : "the broker has no " + listener + " listener (enable it on the builder)");
    }
    return "127.0.0.1:" + port;
  }

  /** The port of the KRaft controller listener. */
  public int controllerPort() {
    synchronized (lock) {
      return node.controllerPort();
    }
  }

  /** The temp dir holding the log dir, {@code server.properties} and the broker log. */
  public @Nullable Path directory() {
    synchronized (lock) {
      return node.dir();
    }
  }

  /**
   * The child JVM's log file (stdout and stderr of every run, appended); null for an in-process
   * broker.
   */
  public @Nullable Path logFile() {
    synchronized (lock) {
      return node.logFile();
    }
  }

  /** The last {@code lines} lines of the child JVM's log ("" for an in-process broker). */
  public String logTail(int lines) {
    synchronized (lock) {
      return node.logTail(lines);
    }
  }

  /**
   * Client settings for the PLAINTEXT listener ({@code bootstrap.servers} only), as a fresh mutable
   * map. Add what the client needs and pass it to a producer, consumer or admin.
   */
  @Override
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
      TlsMaterial tls = tls();
      m.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
      m.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
      m.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    }
    return m;
  }

  /**
   * An unsigned JWS ({@code "alg":"none"}) for {@code subject} that ends at {@code expires}: the
   * token the SASL_PLAINTEXT listener's OAUTHBEARER validator (Kafka's unsecured one) accepts.
   */
  public static String unsecuredToken(String subject, java.time.Instant expires) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"none\"}";
    String claims =
        "{\"sub\":\""
            + subject
            + "\",\"iat\":"
            + (expires.getEpochSecond() - 3600)
            + ",\"exp\":"
            + expires.getEpochSecond()
            + "}";
    return b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + ".";
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
    return tls().truststore();
  }

  /** The broker's certificate in PEM, for clients configured with a CA file (SSL listener only). */
  public Path caCertificatePem() {
    return tls().certificatePem();
  }

  /** The password of the keystore and truststore (SSL listener only). */
  public String truststorePassword() {
    return tls().password();
  }

  private TlsMaterial tls() {
    TlsMaterial tls;
    synchronized (lock) {
      tls = node.tls();
    }
    if (tls == null) {
      throw new IllegalStateException(
          "the broker has no SSL listener (enable it with KafkaBroker.builder().ssl())");
    }
    return tls;
  }

  /**
   * A shared admin client on the PLAINTEXT listener, created on first use and closed by {@link
   * #close()}. Do not close it yourself.
   */
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

  /** Creates a topic with replication factor 1 and waits for it. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /**
   * Creates a topic with replication factor 1 and topic configs (e.g. {@code retention.bytes}), and
   * waits until every partition is served by its leader.
   */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    TopicReads.createTopic(this, new NewTopic(name, partitions, (short) 1).configs(configs));
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
        if (node.childJvm()) {
          // nothing to keep: no controlled shutdown needed, and it is faster
          node.kill();
        } else {
          node.stop();
        }
      } finally {
        node.removeExitHook();
        node.deleteDir();
      }
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker{" + node + "}";
  }

  // ---------------------------------------------------------------------------------------------------------

  private void ensureOpen() {
    synchronized (adminLock) {
      if (closed) {
        throw new IllegalStateException("the broker is closed");
      }
    }
  }

  static RuntimeException interruptedOrTimeout(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new IllegalStateException("cannot " + what + ": " + e, e);
  }
}
