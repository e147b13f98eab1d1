package io.tiercel.core.telemetry;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The collector's internal metrics: one per running service (no global registry). Components ask
 * for a metric by name; asking twice with the same name and labels returns the same instance, so
 * many component instances can share {@code otelcol_receiver_accepted_spans} with their own label
 * values. Counters are exposed with the {@code _total} suffix, as the OpenTelemetry Collector's
 * Prometheus endpoint does.
 *
 * <p>Hot paths should keep the data point returned by {@code labelValues(...)} rather than look it
 * up per call. Exemplars are off: the client library samples one on every update (for histograms, a
 * walk of the buckets per observation; 8% of the Java time of the ingestion run, on the Kafka
 * producer's I/O thread) for a span that Tiercel's own threads never have.
 */
public final class MetricsRegistry {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ConcurrentHashMap<String, Registered> byName = new ConcurrentHashMap<>();

  private record Registered(Object metric, String[] labels) {}

  /** The underlying registry, for exposition. */
  public PrometheusRegistry prometheus() {
    return registry;
  }

  /** A counter (name without {@code _total}). */
  public Counter counter(String name, String help, String... labelNames) {
    return get(
        name,
        labelNames,
        Counter.class,
        () ->
            Counter.builder()
                .withoutExemplars()
                .name(name)
                .help(help)
                .labelNames(labelNames)
                .register(registry));
  }

  /** A gauge. */
  public Gauge gauge(String name, String help, String... labelNames) {
    return get(
        name,
        labelNames,
        Gauge.class,
        () ->
            Gauge.builder()
                .withoutExemplars()
                .name(name)
                .help(help)
                .labelNames(labelNames)
                .register(registry));
  }

  /** A histogram with classic buckets in the given unit (e.g. milliseconds). */
  public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
    return get(
        name,
        labelNames,
        Histogram.class,
        () ->
            Histogram.builder()
                .withoutExemplars()
                .name(name)
                .help(help)
                .classicOnly()
                .classicUpperBounds(buckets)
                .labelNames(labelNames)
                .register(registry));
  }

  /**
   * A gauge without labels whose value is read from {@code value} at every scrape (JVM and process
   * gauges). The supplier runs on the scrape thread: it must be cheap and must not block.
   */
  public GaugeWithCallback callbackGauge(String name, String help, DoubleSupplier value) {
    return get(
        name,
        new String[0],
        GaugeWithCallback.class,
        () ->
            GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.getAsDouble()))
                .register(registry));
  }

  /**
   * A counter without labels (name without {@code _total}) whose value is read from {@code value}
   * at every scrape; the supplier must be monotonic, cheap and non-blocking.
   */
  public CounterWithCallback callbackCounter(String name, String help, DoubleSupplier value) {
    return get(
        name,
        new String[0],
        CounterWithCallback.class,
        () ->
            CounterWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.getAsDouble()))
                .register(registry));
  }

  /**
   * A labelled gauge whose points come, at every scrape, from the sources added to the returned
   * family (see {@link CallbackFamily}).
   */
  public CallbackFamily callbackGauges(String name, String help, String... labelNames) {
    return get(
            name,
            labelNames,
            GaugeFamily.class,
            () -> {
              CallbackFamily f = new CallbackFamily();
              GaugeWithCallback.builder()
                  .name(name)
                  .help(help)
                  .labelNames(labelNames)
                  .callback(cb -> f.collect(cb::call))
                  .register(registry);
              return new GaugeFamily(f);
            })
        .family();
  }

  /**
   * A labelled counter (name without {@code _total}) whose points come, at every scrape, from the
   * sources added to the returned family; each source's values must be monotonic.
   */
  public CallbackFamily callbackCounters(String name, String help, String... labelNames) {
    return get(
            name,
            labelNames,
            CounterFamily.class,
            () -> {
              CallbackFamily f = new CallbackFamily();
              CounterWithCallback.builder()
                  .name(name)
                  .help(help)
                  .labelNames(labelNames)
                  .callback(cb -> f.collect(cb::call))
                  .register(registry);
              return new CounterFamily(f);
            })
        .family();
  }

  private record GaugeFamily(CallbackFamily family) {}

  private record CounterFamily(CallbackFamily family) {}

  private <M> M get(
      String name, String[] labels, Class<M> type, java.util.function.Supplier<M> create) {
    Registered r = byName.computeIfAbsent(name, n -> new Registered(create.get(), labels.clone()));
    if (!type.isInstance(r.metric()) || !Arrays.equals(r.labels(), labels)) {
      throw new IllegalStateException(
          "metric "
              + name
              + " already registered as "
              + r.metric().getClass().getSimpleName()
              + Arrays.toString(r.labels()));
    }
    return type.cast(r.metric());
  }
}
