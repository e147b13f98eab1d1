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

  /**
   * This level for traces, metrics and logs: for a component that treats every signal alike.
   * Profiles are not included: a component opts into them with {@link #withProfiles}.
   */
  public Map<Signal, Stability> forEverySignal() {
    return Map.of(Signal.TRACES, this, Signal.METRICS, this, Signal.LOGS, this);
  }

  /**
   * This level for traces, metrics and logs, and {@code profiles} for the profiles signal (the
   * collector's components support profiles at {@code development} stage).
   */
  public Map<Signal, Stability> withProfiles(Stability profiles) {
    return Map.of(
        Signal.TRACES, this, Signal.METRICS, this, Signal.LOGS, this, Signal.PROFILES, profiles);
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
