/**
 * What every exporter shares between the pipeline and its transport: a bounded sending queue (in
 * memory, or persistent through a storage extension), retries with exponential backoff for
 * retryable failures, a timeout per attempt, and the exporter's {@code otelcol_exporter_*} metrics.
 * An exporter supplies a {@link io.tiercel.core.exporterhelper.Sender} and its config's {@link
 * io.tiercel.core.exporterhelper.QueueConfig} and {@link
 * io.tiercel.core.exporterhelper.RetryConfig}.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.exporterhelper;
