package io.tiercel.core.component;

import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;

/** Sends data out of the collector; one instance per (exporter id, signal), shared by pipelines. */
public non-sealed interface Exporter<T extends OtlpData> extends Component, TelemetryConsumer<T> {
  /**
   * True when the exporter records {@code otelcol_exporter_sent_*} / {@code
   * otelcol_exporter_send_failed_*} itself (exporters built on {@code ExporterHelper}, whose queue
   * may acknowledge a request before it is sent); the service then does not count them from the
   * consume future.
   */
  default boolean reportsOwnMetrics() {
    return false;
  }
}
