package io.tiercel.core.component;

import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Developer wiring handed to a factory (never user YAML): who the component is, where it logs and
 * counts, and the clock it reads.
 *
 * @param id the component id
 * @param kind its kind
 * @param signal the signal of a processor/exporter instance; null for receivers and extensions
 * @param logger a logger named after the component
 * @param metrics the collector's metrics registry (served on {@code service.telemetry} metrics
 *     address)
 * @param clock the clock to read time from (tests pass a fixed or manual one)
 * @param build what is running
 * @param shared the state the components of this service share across pipelines (one per service)
 */
public record Settings(
    ComponentId id,
    Kind kind,
    @Nullable Signal signal,
    Logger logger,
    MetricsRegistry metrics,
    Clock clock,
    BuildInfo build,
    SharedComponents shared) {
  public Settings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(logger, "logger");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(shared, "shared");
  }

  /**
   * The feature gates of the service building this component ({@code --feature-gates}); a factory
   * reads them while it creates the component.
   */
  public FeatureGates featureGates() {
    return shared.featureGates();
  }

  /**
   * Settings for tests and tools: a fresh registry, the system clock, a logger named after the id,
   * and shared state of its own (components built from two such settings share nothing).
   */
  public static Settings forTest(Kind kind, ComponentId id, @Nullable Signal signal) {
    return new Settings(
        id,
        kind,
        signal,
        org.slf4j.LoggerFactory.getLogger("io.tiercel." + kind.label() + "." + id),
        new MetricsRegistry(),
        Clock.systemUTC(),
        BuildInfo.DEFAULT,
        SharedComponents.create());
  }
}
