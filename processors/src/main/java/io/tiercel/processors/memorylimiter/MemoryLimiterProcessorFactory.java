package io.tiercel.processors.memorylimiter;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code memory_limiter} processor over the JVM heap: it limits the heap that survives garbage
 * collection, not the heap in use including garbage (the rule is in the module README). As in the
 * collector, one limiter (checker thread, heap listener, refusal state, forced-GC intervals) is
 * shared by every pipeline and signal that names the same component id; this factory instance holds
 * them, each running from its first processor's start to its last processor's shutdown.
 */
public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {
  private final long maxHeap;
  private final Supplier<HeapSource> heaps;
  // Guarded by itself; entries leave when their last processor shuts down.
  private final Map<MemoryLimiter.Key, MemoryLimiter> limiters = new HashMap<>();

  /** The factory over this JVM's heap (found by {@link java.util.ServiceLoader}). */
  public MemoryLimiterProcessorFactory() {
    this(Runtime.getRuntime().maxMemory(), JvmHeap::new);
  }

  /**
   * A factory over {@code heaps} (a new source per shared limiter) with a maximum heap of {@code
   * maxHeap}.
   */
  MemoryLimiterProcessorFactory(long maxHeap, Supplier<HeapSource> heaps) {
    this.maxHeap = maxHeap;
    this.heaps = heaps;
  }

  @Override
  public String type() {
    return "memory_limiter";
  }

  @Override
  public Class<MemoryLimiterConfig> configClass() {
    return MemoryLimiterConfig.class;
  }

  @Override
  public MemoryLimiterConfig createDefaultConfig() {
    return MemoryLimiterConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Map.of(
        Signal.TRACES, Stability.BETA, Signal.METRICS, Stability.BETA, Signal.LOGS, Stability.BETA);
  }

  private <T extends io.tiercel.core.pdata.OtlpData> Processor<T> create(
      Settings s, MemoryLimiterConfig c, TelemetryConsumer<T> next) {
    c.validate();
    MemoryLimiter limiter =
        MemoryLimiter.of(
            limiters, new MemoryLimiter.Key(s.id(), c, s.clock()), s.logger(), maxHeap, heaps);
    return new MemoryLimiterProcessor<>(s, next, limiter);
  }

  @Override
  public Processor<Traces> createTraces(
      Settings s, MemoryLimiterConfig c, TelemetryConsumer<Traces> next) {
    return create(s, c, next);
  }

  @Override
  public Processor<Metrics> createMetrics(
      Settings s, MemoryLimiterConfig c, TelemetryConsumer<Metrics> next) {
    return create(s, c, next);
  }

  @Override
  public Processor<Logs> createLogs(
      Settings s, MemoryLimiterConfig c, TelemetryConsumer<Logs> next) {
    return create(s, c, next);
  }
}
