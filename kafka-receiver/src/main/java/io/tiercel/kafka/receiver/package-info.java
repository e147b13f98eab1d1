/** The {@code kafka} receiver: OTLP records from Kafka topics into pipelines, at least once. */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.receiver;
