package io.tiercel.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  @Test
  void namedThreadsCarryTheOwnerAndRoleAndAreDaemons() {
    Thread t = DaemonThreads.named("kafka/traces", "send").newThread(() -> {});
    assertThat(t.getName()).isEqualTo("tiercel-kafka/traces-send");
    assertThat(t.isDaemon()).isTrue();
    assertThat(DaemonThreads.named("kafka", "send").newThread(() -> {}).getName())
        .isEqualTo("tiercel-kafka-send");
  }

  @Test
  void numberedThreadsCountFromOne() {
    DaemonThreads f = DaemonThreads.numbered("otlp", "worker");
    assertThat(f.newThread(() -> {}).getName()).isEqualTo("tiercel-otlp-worker-1");
    assertThat(f.newThread(() -> {}).getName()).isEqualTo("tiercel-otlp-worker-2");
  }

  @Test
  void anOwnerAlreadyPrefixedIsNotPrefixedTwice() {
    assertThat(DaemonThreads.thread("tiercel-file", "", () -> {}).getName())
        .isEqualTo("tiercel-file");
  }
}
