/**
 * Key hashes and partitioners of the Kafka clients a fleet may mix (the collector's Sarama FNV-1a,
 * Java's murmur2, librdkafka's CRC32), so every producer of a topic picks the same partition for a
 * key.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.common.partition;
