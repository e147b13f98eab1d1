package io.tiercel.core.component;

import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.Map;

/**
 * Creates processors, one per pipeline. A component that treats every signal alike overrides {@link
 * #create} once; one that differs per signal overrides the create method of each signal it
 * supports. Either way, a signal left alone fails with {@link SignalNotSupportedException}.
 */
public non-sealed interface ProcessorFactory<C extends Record> extends Factory<C> {
  @Override
  default Kind kind() {
    return Kind.PROCESSOR;
  }

  /** The signals supported, with their stability. */
  Map<Signal, Stability> signals();

  /**
   * Creates the processor of {@code signal}, whose data type is {@code T}, feeding {@code next};
   * the per-signal methods delegate here unless overridden. The default supports no signal.
   *
   * @throws SignalNotSupportedException if the component does not handle {@code signal}
   */
  default <T extends OtlpData> Processor<T> create(
      Signal signal, Settings settings, C config, TelemetryConsumer<T> next) {
    throw new SignalNotSupportedException(type(), signal);
  }

  default Processor<Traces> createTraces(
      Settings settings, C config, TelemetryConsumer<Traces> next) {
    return create(Signal.TRACES, settings, config, next);
  }

  default Processor<Metrics> createMetrics(
      Settings settings, C config, TelemetryConsumer<Metrics> next) {
    return create(Signal.METRICS, settings, config, next);
  }

  default Processor<Logs> createLogs(Settings settings, C config, TelemetryConsumer<Logs> next) {
    return create(Signal.LOGS, settings, config, next);
  }

  default Processor<Profiles> createProfiles(
      Settings settings, C config, TelemetryConsumer<Profiles> next) {
    return create(Signal.PROFILES, settings, config, next);
  }
}
