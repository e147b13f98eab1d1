package io.tiercel.otlp.exporter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.tiercel.core.component.Settings;
import io.tiercel.core.util.ThrottledLogger;
import java.time.Duration;

/** Logs (throttled) and counts items a backend rejected in an otherwise successful response. */
final class PartialSuccess {
  private final Settings settings;
  private final CounterDataPoint rejected;
  private final ThrottledLogger log;

  PartialSuccess(Settings settings) {
    this.settings = settings;
    String items = settings.signal().itemName();
    this.rejected =
        settings
            .metrics()
            .counter(
                "otelcol_exporter_partial_success_rejected_" + items,
                "Number of " + items + " the backend rejected in partial-success responses.",
                "exporter")
            .labelValues(settings.id().toString());
    this.log = new ThrottledLogger(settings.logger(), Duration.ofSeconds(10));
  }

  void report(long rejectedItems, String message) {
    if (rejectedItems <= 0 && (message == null || message.isEmpty())) {
      return;
    }
    rejected.inc(Math.max(0, rejectedItems));
    log.warn(
        "Partial success response from the backend of exporter "
            + settings.id()
            + ": "
            + rejectedItems
            + " "
            + settings.signal().itemName()
            + " rejected"
            + (message == null || message.isEmpty() ? "" : ": " + message),
        null);
  }
}
