package io.tiercel.core.telemetry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The data points of one labelled metric that are read at scrape time from several sources (e.g.
 * each Kafka client's own metrics), rather than updated on the hot path. A component adds its
 * source when it starts and removes it when it stops. Sources run on the scrape thread: they must
 * be cheap and must not block; one that throws is skipped for that scrape. Thread-safe.
 */
public final class CallbackFamily {
  /** Where a source writes its points. */
  @FunctionalInterface
  public interface Points {
    /** One data point, {@code labelValues} in the order of the metric's label names. */
    void point(double value, String... labelValues);
  }

  private final CopyOnWriteArrayList<Consumer<Points>> sources = new CopyOnWriteArrayList<>();

  CallbackFamily() {}

  /**
   * Adds a source of points.
   *
   * @return removes the source again (idempotent)
   */
  public Runnable add(Consumer<Points> source) {
    sources.add(source);
    return () -> sources.remove(source);
  }

  void collect(Points out) {
    // two sources may write the same labels (e.g. one component id built once per signal, or an
    // old and a new instance during a swap): their values are added, as a scrape must not fail
    Map<List<String>, double[]> points = new LinkedHashMap<>();
    for (Consumer<Points> s : sources) {
      try {
        s.accept(
            (value, labelValues) ->
                points.computeIfAbsent(List.of(labelValues), k -> new double[1])[0] += value);
      } catch (RuntimeException e) {
        // a client closing under the scrape: its points are left out of this scrape
      }
    }
    points.forEach((labels, v) -> out.point(v[0], labels.toArray(String[]::new)));
  }
}
