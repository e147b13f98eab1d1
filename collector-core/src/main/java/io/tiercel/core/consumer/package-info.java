/**
 * The consumer contract every pipeline hop keeps: {@link
 * io.tiercel.core.consumer.TelemetryConsumer#consume} returns a future that completes when the next
 * hop has taken responsibility for the data, and fails with a {@link
 * io.tiercel.core.consumer.PipelineException}: retryable (with an optional throttle) or permanent.
 * {@link io.tiercel.core.consumer.Context} carries request metadata along the pipeline.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.consumer;
