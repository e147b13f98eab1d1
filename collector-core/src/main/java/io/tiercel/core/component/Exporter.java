package io.tiercel.core.component;

import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;

/** Sends data out of the collector; one instance per (exporter id, signal), shared by pipelines. */
public non-sealed interface Exporter<T extends OtlpData> extends Component, TelemetryConsumer<T> {}
