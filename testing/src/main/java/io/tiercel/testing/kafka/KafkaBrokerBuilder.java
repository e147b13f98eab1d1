package io.tiercel.testing.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Configures a {@link KafkaBroker}; {@link KafkaBroker#builder()} makes one. */
public final class KafkaBrokerBuilder {
  private static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9_-]+");

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

  KafkaBrokerBuilder() {}

  /**
   * Runs the broker in its own JVM (needed for {@link KafkaBroker#kill()}); default false
   * (in-process).
   */
  public KafkaBrokerBuilder childJvm(boolean childJvm) {
    this.childJvm = childJvm;
    return this;
  }

  /** Sets a broker property (added to, or replacing, the defaults). */
  public KafkaBrokerBuilder brokerProperty(String key, String value) {
    properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Adds a SASL user known to PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; the first user adds the
   * SASL_PLAINTEXT listener. Names and passwords are limited to letters, digits, {@code _} and
   * {@code -}.
   */
  public KafkaBrokerBuilder saslUser(String user, String password) {
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
  public KafkaBrokerBuilder ssl() {
    this.ssl = true;
    return this;
  }

  /** How long {@link KafkaBroker#start()} waits for the broker; default 60 s. */
  public KafkaBrokerBuilder startTimeout(Duration timeout) {
    this.startTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /** JVM options of a child-JVM broker (replacing the defaults, which favour a quick start-up). */
  public KafkaBrokerBuilder jvmArgs(List<String> args) {
    this.jvmArgs = List.copyOf(args);
    return this;
  }

  /** A broker that is not started yet. */
  public KafkaBroker build() {
    return new KafkaBroker(
        new BrokerNode(childJvm, properties, users, ssl, startTimeout, jvmArgs, null));
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
