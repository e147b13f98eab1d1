package io.tiercel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TestClockTest {
  @Test
  void standsStillUntilAdvanced() {
    TestClock clock = TestClock.create();
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(clock.instant());
    assertThat(clock.advance(Duration.ofMillis(1500)))
        .isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z"));
    assertThat(clock.millis()).isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z").toEpochMilli());
    clock.advance(Duration.ofNanos(7));
    assertThat(clock.instant().getNano()).isEqualTo(500_000_007);
    assertThat(clock.nanos()).isEqualTo(1_767_225_601_500_000_007L);
  }

  @Test
  void setJumpsBothWaysButAdvanceRefusesNegativeDurations() {
    TestClock clock = TestClock.at(Instant.parse("2030-05-05T10:00:00Z"));
    clock.set(Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot go back in time: PT-1S");
  }

  @Test
  void zoneViewsShareTheTime() {
    TestClock clock = TestClock.create();
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advanceMillis(60_000);
    assertThat(paris.instant()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(clock.getZone()).isEqualTo(ZoneId.of("Z"));
  }
}
