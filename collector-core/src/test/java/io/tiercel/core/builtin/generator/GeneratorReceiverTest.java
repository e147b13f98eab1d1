package io.tiercel.core.builtin.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.builtin.debug.DebugExporterFactory;
import io.tiercel.core.builtin.file.FileExporterFactory;
import io.tiercel.core.builtin.generator.GeneratorReceiver.SignalStats;
import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Consumers;
import io.tiercel.core.component.Deadline;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.consumer.Context;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.consumer.RetryableException;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class GeneratorReceiverTest {
  private final Settings settings =
      Settings.forTest(Kind.RECEIVER, ComponentId.of("generator"), null);

  /** Records what it accepts; items counted per call. */
  static final class Sink<T extends OtlpData> implements TelemetryConsumer<T> {
    final AtomicLong items = new AtomicLong();
    final List<T> received = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> consume(Context ctx, T data) {
      items.addAndGet(data.itemCount());
      received.add(data);
      return TelemetryConsumer.done();
    }
  }

  static GeneratorReceiverConfig config(double rate, long total, int batch, int maxInFlight) {
    GeneratorReceiverConfig d = GeneratorReceiverConfig.DEFAULT;
    return new GeneratorReceiverConfig(
        d.seed(),
        rate,
        total,
        batch,
        maxInFlight,
        Duration.ofMillis(10),
        d.services(),
        d.traces(),
        d.metrics(),
        d.logs());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 10s");
      }
      Thread.sleep(5);
    }
  }

  private static Deadline soon() {
    return Deadline.in(Duration.ofSeconds(5));
  }

  @Test
  void factoryAndRegistry() {
    GeneratorReceiverFactory f = new GeneratorReceiverFactory();
    assertThat(f.type()).isEqualTo("generator");
    assertThat(f.kind()).isEqualTo(Kind.RECEIVER);
    assertThat(f.createDefaultConfig()).isSameAs(GeneratorReceiverConfig.DEFAULT);
    assertThat(f.signals()).containsOnlyKeys(Signal.TRACES, Signal.METRICS, Signal.LOGS);
    ComponentRegistry registry = ComponentRegistry.load();
    assertThat(registry.find(Kind.RECEIVER, "generator"))
        .isInstanceOf(GeneratorReceiverFactory.class);
    assertThat(registry.find(Kind.EXPORTER, "debug")).isInstanceOf(DebugExporterFactory.class);
    assertThat(registry.find(Kind.EXPORTER, "file")).isInstanceOf(FileExporterFactory.class);
  }

  @Test
  void configRejectsBadValuesNamingTheKey() {
    assertThatThrownBy(() -> config(-1, 0, 1, 1))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("must be a finite number >= 0 (0 = as fast as possible), got -1.0")
        .satisfies(e -> assertThat(((InvalidValueException) e).key()).isEqualTo("rate"));
    assertThatThrownBy(() -> config(1, 0, 0, 1))
        .satisfies(e -> assertThat(((InvalidValueException) e).key()).isEqualTo("batch_size"));
    assertThatThrownBy(() -> config(1, 0, 1, 0))
        .satisfies(e -> assertThat(((InvalidValueException) e).key()).isEqualTo("max_in_flight"));
    assertThatThrownBy(() -> new GeneratorReceiverConfig.Logs(true, 1.5, true))
        .hasMessage("must be between 0 and 1, got 1.5");
    assertThatThrownBy(
            () ->
                new GeneratorReceiverConfig.Traces(
                    true, 5, 3, 0, 0, Duration.ofMillis(5), Duration.ofMillis(1)))
        .hasMessage("must not be less than min_duration (PT0.005S)")
        .satisfies(e -> assertThat(((InvalidValueException) e).key()).isEqualTo("max_duration"));
  }

  @Test
  void sendsExactlyTotalItemsPerSignal() throws Exception {
    Sink<Traces> traces = new Sink<>();
    Sink<Metrics> metrics = new Sink<>();
    Sink<Logs> logs = new Sink<>();
    GeneratorReceiver r =
        new GeneratorReceiverFactory()
            .create(settings, config(0, 1_005, 100, 2), new Consumers(traces, metrics, logs));
    r.start(null);
    await(r::finished);
    r.shutdown(soon());
    assertThat(traces.items).hasValue(1_005);
    assertThat(metrics.items).hasValue(1_005);
    assertThat(logs.items).hasValue(1_005);
    assertThat(traces.received).hasSize(11).allSatisfy(d -> assertThat(d.hasBytes()).isTrue());
    assertThat(r.stats())
        .containsEntry(Signal.TRACES, new SignalStats(1_005, 0, 0, 0))
        .containsEntry(Signal.METRICS, new SignalStats(1_005, 0, 0, 0))
        .containsEntry(Signal.LOGS, new SignalStats(1_005, 0, 0, 0));
    assertThat(
            settings.metrics().prometheus().scrape().stream()
                .filter(
                    s ->
                        s.getMetadata().getPrometheusName().equals("otelcol_generator_sent_items")))
        .hasSize(1);
  }

  @Test
  void sameSeedSendsTheSameData() throws Exception {
    Sink<Traces> a = new Sink<>();
    Sink<Traces> b = new Sink<>();
    for (Sink<Traces> sink : List.of(a, b)) {
      GeneratorReceiver r =
          new GeneratorReceiverFactory()
              .create(settings, config(0, 300, 100, 1), new Consumers(sink, null, null));
      r.start(null);
      await(r::finished);
      r.shutdown(soon());
    }
    assertThat(a.received).hasSize(3);
    for (int i = 0; i < 3; i++) {
      // timestamps follow the clock; everything else (ids included) is the same
      assertThat(a.received.get(i).itemCount()).isEqualTo(b.received.get(i).itemCount());
      assertThat(
              a.received.get(i).message().getResourceSpansList().stream()
                  .flatMap(rs -> rs.getScopeSpans(0).getSpansList().stream())
                  .map(s -> s.getSpanId().toStringUtf8() + s.getName())
                  .toList())
          .isEqualTo(
              b.received.get(i).message().getResourceSpansList().stream()
                  .flatMap(rs -> rs.getScopeSpans(0).getSpansList().stream())
                  .map(s -> s.getSpanId().toStringUtf8() + s.getName())
                  .toList());
    }
  }

  @Test
  void retriesRetryableFailuresWithoutCountingThemAsSent() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Sink<Logs> sink = new Sink<>();
    TelemetryConsumer<Logs> flaky =
        (ctx, data) ->
            calls.incrementAndGet() <= 3
                ? TelemetryConsumer.failed(new RetryableException("busy"))
                : sink.consume(ctx, data);
    GeneratorReceiver r =
        new GeneratorReceiverFactory()
            .create(settings, config(0, 500, 100, 1), new Consumers(null, null, flaky));
    r.start(null);
    await(r::finished);
    r.shutdown(soon());
    assertThat(sink.items).hasValue(500);
    assertThat(calls).hasValue(8);
    assertThat(r.stats().get(Signal.LOGS)).isEqualTo(new SignalStats(500, 0, 3, 0));
  }

  @Test
  void countsPermanentFailuresAndDoesNotResendThem() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Sink<Metrics> sink = new Sink<>();
    TelemetryConsumer<Metrics> picky =
        (ctx, data) ->
            calls.incrementAndGet() % 2 == 0
                ? TelemetryConsumer.failed(new PermanentException("no"))
                : sink.consume(ctx, data);
    GeneratorReceiver r =
        new GeneratorReceiverFactory()
            .create(settings, config(0, 1_000, 100, 3), new Consumers(null, picky, null));
    r.start(null);
    await(r::finished);
    r.shutdown(soon());
    assertThat(calls).hasValue(10);
    assertThat(r.stats().get(Signal.METRICS)).isEqualTo(new SignalStats(500, 500, 0, 0));
  }

  @Test
  void neverHasMoreThanMaxInFlightRequestsWaiting() throws Exception {
    List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
    TelemetryConsumer<Traces> slow =
        (ctx, data) -> {
          CompletableFuture<Void> f = new CompletableFuture<>();
          pending.add(f);
          return f;
        };
    GeneratorReceiver r =
        new GeneratorReceiverFactory()
            .create(settings, config(0, 0, 10, 3), new Consumers(slow, null, null));
    r.start(null);
    await(() -> pending.size() == 3);
    Thread.sleep(
        100); // the generator is free-running (rate 0): it would send more if it did not wait
    assertThat(pending).hasSize(3);
    assertThat(r.stats().get(Signal.TRACES)).isEqualTo(new SignalStats(0, 0, 0, 3));
    pending.get(0).complete(null);
    await(() -> pending.size() == 4);
    assertThat(r.stats().get(Signal.TRACES).sent()).isEqualTo(10);
    long t0 = System.nanoTime();
    r.shutdown(
        Deadline.in(
            Duration.ofMillis(300))); // the 3 waiting never complete: shutdown honours the deadline
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(2).toNanos());
    assertThat(pending).hasSize(4);
  }

  @Test
  void rateLimitsItemsPerSecond() throws Exception {
    Sink<Traces> sink = new Sink<>();
    GeneratorReceiver r =
        new GeneratorReceiverFactory()
            .create(settings, config(200, 0, 20, 2), new Consumers(sink, null, null));
    long t0 = System.nanoTime();
    r.start(null);
    await(() -> sink.received.size() >= 3); // requests are due at 0, 100, 200 ms
    r.shutdown(soon());
    long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
    // 200 items/s in batches of 20: one request per 100 ms at most, whatever the machine's load
    assertThat(sink.received.size()).isBetween(3, (int) (elapsedMillis / 100) + 1);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(200);
  }

  @Test
  void defaultConfigStreamsAllSignalsAndShutdownWithoutStartIsSafe() throws Exception {
    GeneratorReceiverFactory f = new GeneratorReceiverFactory();
    GeneratorReceiver idle =
        f.create(settings, f.createDefaultConfig(), new Consumers(new Sink<>(), null, null));
    idle.shutdown(soon());
    idle.shutdown(soon());
    Sink<Traces> traces = new Sink<>();
    Sink<Metrics> metrics = new Sink<>();
    Sink<Logs> logs = new Sink<>();
    GeneratorReceiver r =
        f.create(settings, f.createDefaultConfig(), new Consumers(traces, metrics, logs));
    r.start(null);
    await(() -> traces.items.get() >= 50 && metrics.items.get() >= 50 && logs.items.get() >= 50);
    r.shutdown(soon());
    assertThat(r.finished()).isFalse();
    long after = traces.items.get();
    Thread.sleep(50);
    assertThat(traces.items.get()).isEqualTo(after);
  }
}
