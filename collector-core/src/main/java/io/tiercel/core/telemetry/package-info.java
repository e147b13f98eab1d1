/**
 * The collector's internal telemetry: the metrics registry every component counts in, process
 * gauges, and the small HTTP endpoint serving Prometheus metrics and health. Below {@code
 * core.component} ({@code Settings} hands components the registry), so nothing here knows
 * components; the log layout that does lives in {@code core.telemetry.logs}.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.telemetry;
