package io.tiercel.processors.tailsampling;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.Map;

/** Creates {@code tail_sampling} processors (traces only, alpha). */
public final class TailSamplingFactory implements ProcessorFactory<TailSamplingConfig> {
  /** The component type. */
  public static final String TYPE = "tail_sampling";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Class<TailSamplingConfig> configClass() {
    return TailSamplingConfig.class;
  }

  @Override
  public TailSamplingConfig createDefaultConfig() {
    return TailSamplingConfig.DEFAULT;
  }

  @Override
  public Map<Signal, Stability> signals() {
    return Map.of(Signal.TRACES, Stability.ALPHA);
  }

  @Override
  public Processor<Traces> createTraces(
      Settings settings, TailSamplingConfig config, TelemetryConsumer<Traces> next) {
    return new TailSamplingProcessor(settings, config, next);
  }
}
