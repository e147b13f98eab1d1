package io.tiercel.processors.memorylimiter;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Signal;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code memory_limiter} processor over the JVM heap: it limits the heap that survives garbage
 * collection, not the heap in use including garbage (the rule is in the module README). As in the
 * collector, one limiter (checker thread, heap listener, refusal state, forced-GC intervals) is
 * shared by every pipeline and signal of a service that names the same component id; the service
 * holds it ({@link Settings#shared()}), and it runs from its first processor's start to its last
 * processor's shutdown. The factory holds no state: two services built from one registry share no
 * limiter.
 */
public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {
  private final long maxHeap;
  private final Supplier<HeapSource> heaps;

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
    return Stability.BETA.withProfiles(Stability.ALPHA);
  }

  @Override
  public <T extends OtlpData> Processor<T> create(
      Signal signal, Settings s, MemoryLimiterConfig c, TelemetryConsumer<T> next) {
    c.validate();
    MemoryLimiter.Key key = new MemoryLimiter.Key(s.id(), c);
    MemoryLimiter limiter =
        s.shared()
            .computeIfAbsent(
                key,
                MemoryLimiter.class,
                () -> new MemoryLimiter(key, s.logger(), s.clock(), maxHeap, heaps.get()));
    return new MemoryLimiterProcessor<>(s, next, limiter);
  }
}
