/**
 * What the Kafka exporter and receiver share about reaching a cluster: brokers, client id, SASL,
 * TLS and metadata ({@link io.tiercel.kafka.common.config.ClientConfig}), and the checks of the raw
 * {@code producer_config} / {@code consumer_config} maps ({@link
 * io.tiercel.kafka.common.config.Passthrough}).
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.common.config;
