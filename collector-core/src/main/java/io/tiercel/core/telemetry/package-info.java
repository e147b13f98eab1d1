/**
 * The collector's internal telemetry: the metrics registry, process gauges and the Prometheus
 * endpoint.
 */
package io.tiercel.core.telemetry;
