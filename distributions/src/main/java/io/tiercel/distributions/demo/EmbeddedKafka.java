package io.tiercel.distributions.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, on free
 * loopback ports, with its log in a temporary directory deleted at {@link #close()}. For the demo
 * only: production tiers talk to a real cluster.
 */
final class EmbeddedKafka implements AutoCloseable {
  private final Path dir;
  private final int port;
  private kafka.server.KafkaRaftServer server;

  private EmbeddedKafka(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Formats a fresh log dir and starts the broker; returns when it is up. */
  static EmbeddedKafka start() throws IOException {
    Path dir = Files.createTempDirectory("tiercel-demo-kafka-");
    int port = freePort();
    int controller = freePort();
    Map<String, Object> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
    props.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", dir.resolve("log").toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put(
        "log.cleaner.dedupe.buffer.size", "2097152"); // else the cleaner takes 128 MiB of heap
    props.put("num.partitions", "6");
    Path file = dir.resolve("server.properties");
    Properties p = new Properties();
    props.forEach((k, v) -> p.setProperty(k, v.toString()));
    try (var out = Files.newOutputStream(file)) {
      p.store(out, "tiercel demo broker");
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      rc =
          kafka.tools.StorageTool.execute(
              new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()},
              out);
    }
    if (rc != 0) {
      throw new IOException(
          "formatting the embedded broker's log dir failed:\n"
              + buf.toString(StandardCharsets.UTF_8));
    }
    EmbeddedKafka k = new EmbeddedKafka(dir, port);
    k.server =
        new kafka.server.KafkaRaftServer(new kafka.server.KafkaConfig(props, false), Time.SYSTEM);
    k.server.startup();
    return k;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
