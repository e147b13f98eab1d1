package io.tiercel.core.component;

import io.tiercel.core.consumer.TelemetryConsumer;
import io.tiercel.core.pdata.OtlpData;

/**
 * A pipeline stage between receivers and exporters; one instance per pipeline. It passes data
 * (possibly changed, batched or dropped) to the consumer it was created with, and completes each
 * upstream future only when the data it derived completed downstream (or was dropped on purpose).
 */
public non-sealed interface Processor<T extends OtlpData> extends Component, TelemetryConsumer<T> {}
