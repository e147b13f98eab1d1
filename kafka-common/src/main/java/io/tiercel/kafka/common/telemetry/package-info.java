/**
 * The Kafka clients' own metrics (the {@code metrics()} map of a producer or consumer) exported
 * under documented {@code otelcol_kafka_*} names, read at scrape time.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.common.telemetry;
