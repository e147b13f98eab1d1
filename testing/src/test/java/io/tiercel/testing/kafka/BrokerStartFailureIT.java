package io.tiercel.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A child-JVM broker that cannot start fails fast with the tail of its log, and leaves nothing
 * behind.
 */
@Tag("integration")
class BrokerStartFailureIT {
  @Test
  void childJvmThatExitsDuringStartUpReportsItsLogTail() {
    AtomicReference<Path> dir = new AtomicReference<>();
    KafkaBroker broker =
        KafkaBroker.builder()
            .childJvm(true)
            // the JVM refuses this at once: the cheapest start-up failure that still writes to the
            // log
            .jvmArgs(java.util.List.of("-Xmx12q"))
            .build();
    try {
      assertThatThrownBy(
              () -> {
                try {
                  broker.start();
                } finally {
                  dir.set(broker.directory());
                }
              })
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "the Kafka broker JVM exited with code 1 during start-up; log "
                  + dir.get().resolve("broker.log")
                  + " ends with:\n")
          .hasMessageContaining("Invalid maximum heap size: -Xmx12q");
      assertThat(broker.isRunning()).isFalse();
    } finally {
      broker.close();
    }
    assertThat(Files.exists(dir.get())).isFalse();
  }
}
