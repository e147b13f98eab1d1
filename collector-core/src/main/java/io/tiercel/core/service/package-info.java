/**
 * The running collector: {@link io.tiercel.core.service.Service} builds the pipeline graph from a
 * {@link io.tiercel.core.config.ServiceConfig}, wraps every component with its internal metrics,
 * and runs the lifecycle (start downstream first, shut down upstream first, within a deadline).
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.service;
