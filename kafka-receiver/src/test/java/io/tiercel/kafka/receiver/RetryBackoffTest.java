package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.exporterhelper.RetryConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  private static final long S = 1_000_000_000L;

  @Test
  void growsToTheMaximumAndReportsExhaustionButNeverGivesUp() {
    RetryConfig cfg =
        new RetryConfig(
            true, Duration.ofSeconds(1), 0, 2, Duration.ofSeconds(4), Duration.ofSeconds(10));
    RetryBackoff b = new RetryBackoff(cfg, () -> 0.5);
    assertThat(b.next(0, null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.next(S, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.next(3 * S, null)).isEqualTo(Duration.ofSeconds(4));
    assertThat(b.next(7 * S, null)).isEqualTo(Duration.ofSeconds(4));
    assertThat(b.exhausted(9 * S)).isFalse();
    assertThat(b.exhausted(10 * S)).isTrue();
    assertThat(b.next(11 * S, Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(6));
    assertThat(b.attempts()).isEqualTo(5);
    b.reset();
    assertThat(b.exhausted(100 * S)).isFalse();
    assertThat(b.next(100 * S, null)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void disabledWaitsTheInitialIntervalEveryTime() {
    RetryConfig cfg =
        new RetryConfig(
            false, Duration.ofMillis(300), 0.5, 2, Duration.ofSeconds(4), Duration.ZERO);
    RetryBackoff b = new RetryBackoff(cfg, () -> 1.0);
    assertThat(b.next(0, null)).isEqualTo(Duration.ofMillis(300));
    assertThat(b.next(S, null)).isEqualTo(Duration.ofMillis(300));
    assertThat(b.exhausted(1000 * S)).isFalse();
  }

  @Test
  void jitterStaysWithinTheRandomizationFactor() {
    RetryConfig cfg =
        new RetryConfig(true, Duration.ofSeconds(1), 0.5, 1, Duration.ofSeconds(1), Duration.ZERO);
    assertThat(new RetryBackoff(cfg, () -> 0.0).next(0, null)).isEqualTo(Duration.ofMillis(500));
    assertThat(new RetryBackoff(cfg, () -> 1.0).next(0, null)).isEqualTo(Duration.ofMillis(1500));
  }
}
