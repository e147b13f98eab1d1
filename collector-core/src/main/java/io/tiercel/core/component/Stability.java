package io.tiercel.core.component;

import io.tiercel.core.pdata.Signal;
import java.util.Map;

/** Stability levels, as the OpenTelemetry Collector names them. */
public enum Stability {
  DEVELOPMENT,
  ALPHA,
  BETA,
  STABLE,
  DEPRECATED,
  UNMAINTAINED;

  /** This level for traces, metrics and logs: for a component that treats every signal alike. */
  public Map<Signal, Stability> forEverySignal() {
    return Map.of(Signal.TRACES, this, Signal.METRICS, this, Signal.LOGS, this);
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
