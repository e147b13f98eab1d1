package io.tiercel.testing.kafka;

import java.util.Optional;

/**
 * Entry point of a child-JVM broker: halts the broker when the test JVM that started it is gone (so
 * a crashed or killed build never leaves a broker eating CPU), then runs {@code kafka.Kafka}.
 */
public final class ChildBrokerMain {
  static final String PARENT_PID_PROPERTY = "tiercel.parent.pid";

  private ChildBrokerMain() {}

  /**
   * Runs {@code kafka.Kafka} with {@code args}.
   *
   * @param args the path of {@code server.properties}
   */
  public static void main(String[] args) {
    String parent = System.getProperty(PARENT_PID_PROPERTY);
    if (parent != null) {
      Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(parent));
      if (h.isEmpty()) {
        Runtime.getRuntime().halt(3);
      }
      h.get().onExit().thenRun(() -> Runtime.getRuntime().halt(3));
    }
    kafka.Kafka.main(args);
  }
}
