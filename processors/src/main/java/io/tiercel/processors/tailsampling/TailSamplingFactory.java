package io.tiercel.processors.tailsampling;

import io.tiercel.core.component.Processor;
import io.tiercel.core.component.ProcessorFactory;
import io.tiercel.core.component.Settings;
import io.tiercel.core.component.Stability;
import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** Creates {@code tail_sampling} processors (traces only, alpha). */
public final class TailSamplingFactory implements ProcessorFactory<TailSamplingConfig> {
  /** The component type. */
  public static final String TYPE = "tail_sampling";

  /** How often the decision thread looks for due traces, unless a test or a benchmark says. */
  public static final Duration DEFAULT_DECISION_TICK = Duration.ofSeconds(1);

  private final Duration decisionTick;

  /** The factory the service finds: decision thread every {@link #DEFAULT_DECISION_TICK}. */
  public TailSamplingFactory() {
    this(DEFAULT_DECISION_TICK);
  }

  /**
   * A factory whose processors look for due traces every {@code decisionTick}: developer wiring for
   * tests and benchmarks that move a clock by less than a second, never user config.
   */
  public TailSamplingFactory(Duration decisionTick) {
    Objects.requireNonNull(decisionTick, "decisionTick");
    if (decisionTick.isNegative() || decisionTick.isZero()) {
      throw new IllegalArgumentException("decisionTick must be positive, got " + decisionTick);
    }
    this.decisionTick = decisionTick;
  }

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
    return new TailSamplingProcessor(settings, config, next, decisionTick);
  }
}
