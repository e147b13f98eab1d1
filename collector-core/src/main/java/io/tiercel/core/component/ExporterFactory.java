package io.tiercel.core.component;

import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Traces;
import java.util.Map;

/** Creates exporters, one per (id, signal); override the create method of each supported signal. */
public non-sealed interface ExporterFactory<C extends Record> extends Factory<C> {
  @Override
  default Kind kind() {
    return Kind.EXPORTER;
  }

  /** The signals supported, with their stability. */
  Map<io.tiercel.core.pdata.Signal, Stability> signals();

  default Exporter<Traces> createTraces(Settings settings, C config) {
    throw new SignalNotSupportedException(type(), io.tiercel.core.pdata.Signal.TRACES);
  }

  default Exporter<Metrics> createMetrics(Settings settings, C config) {
    throw new SignalNotSupportedException(type(), io.tiercel.core.pdata.Signal.METRICS);
  }

  default Exporter<Logs> createLogs(Settings settings, C config) {
    throw new SignalNotSupportedException(type(), io.tiercel.core.pdata.Signal.LOGS);
  }
}
