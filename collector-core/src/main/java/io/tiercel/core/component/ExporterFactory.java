package io.tiercel.core.component;

import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.Map;

/**
 * Creates exporters, one per (id, signal). A component that treats every signal alike overrides
 * {@link #create} once; one that differs per signal overrides the create method of each signal it
 * supports. Either way, a signal left alone fails with {@link SignalNotSupportedException}.
 */
public non-sealed interface ExporterFactory<C extends Record> extends Factory<C> {
  @Override
  default Kind kind() {
    return Kind.EXPORTER;
  }

  /** The signals supported, with their stability. */
  Map<Signal, Stability> signals();

  /**
   * Creates the exporter of {@code signal}, whose data type is {@code T}; the per-signal methods
   * delegate here unless overridden. The default supports no signal.
   *
   * @throws SignalNotSupportedException if the component does not handle {@code signal}
   */
  default <T extends OtlpData> Exporter<T> create(Signal signal, Settings settings, C config) {
    throw new SignalNotSupportedException(type(), signal);
  }

  default Exporter<Traces> createTraces(Settings settings, C config) {
    return create(Signal.TRACES, settings, config);
  }

  default Exporter<Metrics> createMetrics(Settings settings, C config) {
    return create(Signal.METRICS, settings, config);
  }

  default Exporter<Logs> createLogs(Settings settings, C config) {
    return create(Signal.LOGS, settings, config);
  }

  default Exporter<Profiles> createProfiles(Settings settings, C config) {
    return create(Signal.PROFILES, settings, config);
  }
}
