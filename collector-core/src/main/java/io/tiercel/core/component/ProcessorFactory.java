package io.tiercel.core.component;

import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Traces;
import java.util.Map;

/** Creates processors, one per pipeline; override the create method of each supported signal. */
public non-sealed interface ProcessorFactory<C extends Record> extends Factory<C> {
  @Override
  default Kind kind() {
    return Kind.PROCESSOR;
  }

  /** The signals supported, with their stability. */
  Map<io.tiercel.core.pdata.Signal, Stability> signals();

  default Processor<Traces> createTraces(
      Settings settings, C config, TelemetryConsumer<Traces> next) {
    throw new SignalNotSupportedException(type(), io.tiercel.core.pdata.Signal.TRACES);
  }

  default Processor<Metrics> createMetrics(
      Settings settings, C config, TelemetryConsumer<Metrics> next) {
    throw new SignalNotSupportedException(type(), io.tiercel.core.pdata.Signal.METRICS);
  }

  default Processor<Logs> createLogs(Settings settings, C config, TelemetryConsumer<Logs> next) {
    throw new SignalNotSupportedException(type(), io.tiercel.core.pdata.Signal.LOGS);
  }
}
