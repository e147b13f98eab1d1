/**
 * The encoding extensions ({@code otlp_encoding}, {@code zipkin_encoding}, ...): each a config
 * record and a factory selecting a {@link io.tiercel.kafka.common.encoding.SignalCodec}, named by
 * Kafka components as {@code encoding: <extension id>}.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.common.encoding.ext;
