/**
 * The {@code kafka} exporter: OTLP traces, metrics and logs to Kafka topics, split and keyed on the
 * wire.
 */
package io.tiercel.kafka.exporter;
