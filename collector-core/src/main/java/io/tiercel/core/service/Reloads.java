package io.tiercel.core.service;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.tiercel.core.telemetry.MetricsRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts and logs the outcome of each {@link Service#reload}. */
final class Reloads {
  /** The reload counter (exposed with {@code _total}), labelled {@code result}. */
  static final String METRIC = "otelcol_service_config_reloads";

  private static final Logger LOG = LoggerFactory.getLogger(Service.class);
  private final CounterDataPoint success;
  private final CounterDataPoint failure;

  Reloads(MetricsRegistry metrics) {
    var counter =
        metrics.counter(
            METRIC,
            "Number of configuration reloads (SIGHUP), by result: success or failure.",
            "result");
    success = counter.labelValues("success");
    failure = counter.labelValues("failure");
  }

  /** Counts and logs a reload whose new graph runs entirely; returns no errors. */
  List<String> succeeded(int kept, int created) {
    success.inc();
    LOG.info("Reload complete: {} component(s) kept running, {} started anew.", kept, created);
    return List.of();
  }

  /** Counts and logs a failed reload: {@code what} happened, for {@code errors}; returns them. */
  List<String> failed(String what, List<String> errors) {
    failure.inc();
    LOG.error(
        "Reload failed: {} ({} error{}):\n  {}",
        what,
        errors.size(),
        errors.size() == 1 ? "" : "s",
        String.join("\n  ", errors));
    return errors;
  }
}
