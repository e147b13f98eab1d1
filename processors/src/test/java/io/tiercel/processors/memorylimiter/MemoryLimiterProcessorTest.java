package io.tiercel.processors.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryLimiterProcessorTest {
  private static final long MIB = 1 << 20;

  static Traces spans(int n) {
    TracesData.Builder b = TracesData.newBuilder();
    var ss = b.addResourceSpansBuilder().addScopeSpansBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder().setName("s" + i));
    }
    return Traces.of(b.build());
  }

  @Test
  void refusesAboveSoftLimitForcesGcAboveHardAndRecovers() throws Exception {
    AtomicLong heap = new AtomicLong(100 * MIB);
    AtomicInteger gcs = new AtomicInteger();
    AtomicInteger passed = new AtomicInteger();
    var cfg = new MemoryLimiterConfig(Duration.ofSeconds(1), 1000, 200, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    var p = new MemoryLimiterProcessor<Traces>(
        Settings.forTest(Kind.PROCESSOR, ComponentId.of("memory_limiter"), Signal.TRACES), cfg,
        (ctx, d) -> {
          passed.addAndGet(d.itemCount());
          return TelemetryConsumer.done();
        }, 4096 * MIB, heap::get, gcs::incrementAndGet);
    p.check();
    p.consume(Context.EMPTY, spans(3)).get();
    assertThat(passed).hasValue(3);

    heap.set(850 * MIB); // above soft (800), below hard (1000): GC allowed once per 10s
    p.check();
    assertThat(p.limited()).isTrue();
    assertThat(gcs).hasValue(1);
    assertThatThrownBy(() -> p.consume(Context.EMPTY, spans(5)).get()).cause()
        .isInstanceOf(RetryableException.class)
        .hasMessage("data refused due to high memory usage (processor memory_limiter, soft limit 800 MiB)");
    p.check();
    assertThat(gcs).as("soft-limited GCs are spaced by min_gc_interval_when_soft_limited").hasValue(1);

    heap.set(1100 * MIB); // above hard: min interval 0, GC every check
    p.check();
    p.check();
    assertThat(gcs).hasValue(3);

    heap.set(500 * MIB);
    p.check();
    assertThat(p.limited()).isFalse();
    p.consume(Context.EMPTY, spans(2)).get();
    assertThat(passed).hasValue(5);
  }

  @Test
  void limitsFromPercentagesOfTheMaxHeap() {
    var cfg = new MemoryLimiterConfig(Duration.ofSeconds(1), 0, 0, 80, 25, Duration.ofSeconds(10), Duration.ZERO);
    assertThat(cfg.hardLimitBytes(1000 * MIB)).isEqualTo(800 * MIB);
    assertThat(cfg.softLimitBytes(1000 * MIB)).isEqualTo(550 * MIB);
    var noSpike = new MemoryLimiterConfig(Duration.ofSeconds(1), 500, 0, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    assertThat(noSpike.softLimitBytes(1000 * MIB)).isEqualTo(400 * MIB);
  }

  @Test
  void validationNamesTheKey() {
    assertThatThrownBy(() -> MemoryLimiterConfig.DEFAULT.validate())
        .isInstanceOf(InvalidValueException.class).hasMessage("must be greater than zero")
        .extracting(e -> ((InvalidValueException) e).key()).isEqualTo("check_interval");
    var noLimit = new MemoryLimiterConfig(Duration.ofSeconds(1), 0, 0, 0, 0, Duration.ofSeconds(10), Duration.ZERO);
    assertThatThrownBy(noLimit::validate).hasMessage("one of limit_mib or limit_percentage must be set");
    var spikeTooBig = new MemoryLimiterConfig(Duration.ofSeconds(1), 100, 100, 0, 0, Duration.ZERO, Duration.ZERO);
    assertThatThrownBy(spikeTooBig::validate).hasMessage("must be smaller than limit_mib (100), got 100");
    assertThatThrownBy(() -> new MemoryLimiterConfig(Duration.ofSeconds(1), 0, 0, 101, 0, Duration.ZERO,
        Duration.ZERO)).hasMessage("must be between 0 and 100, got 101");
  }
}
