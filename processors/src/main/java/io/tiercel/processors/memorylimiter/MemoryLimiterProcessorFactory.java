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
import java.util.Map;

/**
 * The {@code memory_limiter} processor over the JVM heap: it limits the heap that survives garbage collection, not
 * the heap in use including garbage (the rule is in the module README).
 */
public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {
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
    return Map.of(Signal.TRACES, Stability.BETA, Signal.METRICS, Stability.BETA, Signal.LOGS, Stability.BETA);
  }

  private static <T extends io.tiercel.core.pdata.OtlpData> Processor<T> create(
      Settings s, MemoryLimiterConfig c, TelemetryConsumer<T> next) {
    c.validate();
    return new MemoryLimiterProcessor<>(s, c, next, Runtime.getRuntime().maxMemory(), new JvmHeap());
  }

  @Override
  public Processor<Traces> createTraces(Settings s, MemoryLimiterConfig c, TelemetryConsumer<Traces> next) {
    return create(s, c, next);
  }

  @Override
  public Processor<Metrics> createMetrics(Settings s, MemoryLimiterConfig c, TelemetryConsumer<Metrics> next) {
    return create(s, c, next);
  }

  @Override
  public Processor<Logs> createLogs(Settings s, MemoryLimiterConfig c, TelemetryConsumer<Logs> next) {
    return create(s, c, next);
  }
}
