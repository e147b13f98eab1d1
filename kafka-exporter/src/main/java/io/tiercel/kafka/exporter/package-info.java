/**
 * The {@code kafka} exporter: OTLP traces, metrics and logs to Kafka topics, split and keyed on the
 * wire.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.exporter;
