/**
 * The component SPI: what a receiver, processor, exporter or extension is ({@link
 * io.tiercel.core.component.Component} and its kinds), the factories that make them ({@link
 * io.tiercel.core.component.Factory}, found with {@link java.util.ServiceLoader} into a {@link
 * io.tiercel.core.component.ComponentRegistry}), the wiring a factory is handed ({@link
 * io.tiercel.core.component.Settings}: id, logger, metrics, clock, the service's {@link
 * io.tiercel.core.component.SharedComponents}) and what a started component sees of the collector
 * ({@link io.tiercel.core.component.Host}). It depends on the data ({@code core.pdata}), the
 * consumer contract ({@code core.consumer}) and the metrics registry ({@code core.telemetry}); the
 * config layer ({@code core.config}) and the service sit above it.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.component;
