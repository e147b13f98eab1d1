/**
 * How a Kafka record value holds signal data (OTLP, Zipkin), written by the exporter and read by
 * the receiver.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.common.encoding;
