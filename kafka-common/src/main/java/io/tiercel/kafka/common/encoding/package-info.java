/**
 * How a Kafka record value holds OTLP data ({@code otlp_proto}, {@code otlp_json}), written by the
 * exporter and read by the receiver.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.common.encoding;
