package io.tiercel.core.component;

import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.OtlpData;
import io.tiercel.core.pdata.Profiles;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The consumers a receiver feeds, one per signal in use; absent signals are null. */
public record Consumers(
    @Nullable TelemetryConsumer<Traces> traces,
    @Nullable TelemetryConsumer<Metrics> metrics,
    @Nullable TelemetryConsumer<Logs> logs,
    @Nullable TelemetryConsumer<Profiles> profiles) {

  /** Consumers of traces, metrics and logs only. */
  public Consumers(
      @Nullable TelemetryConsumer<Traces> traces,
      @Nullable TelemetryConsumer<Metrics> metrics,
      @Nullable TelemetryConsumer<Logs> logs) {
    this(traces, metrics, logs, null);
  }

  /** The signals that have a consumer. */
  public Set<Signal> signals() {
    EnumSet<Signal> s = EnumSet.noneOf(Signal.class);
    if (traces != null) {
      s.add(Signal.TRACES);
    }
    if (metrics != null) {
      s.add(Signal.METRICS);
    }
    if (logs != null) {
      s.add(Signal.LOGS);
    }
    if (profiles != null) {
      s.add(Signal.PROFILES);
    }
    return s;
  }

  /** The consumer for {@code signal}, or null. */
  @SuppressWarnings("unchecked")
  public <T extends OtlpData> @Nullable TelemetryConsumer<T> get(Signal signal) {
    return (TelemetryConsumer<T>)
        switch (signal) {
          case TRACES -> traces;
          case METRICS -> metrics;
          case LOGS -> logs;
          case PROFILES -> profiles;
        };
  }

  /**
   * Fails with {@link SignalNotSupportedException} when a consumer is present for an unsupported
   * signal.
   */
  public void requireOnly(String type, Set<Signal> supported) {
    for (Signal s : signals()) {
      if (!supported.contains(s)) {
        throw new SignalNotSupportedException(type, s);
      }
    }
  }
}
