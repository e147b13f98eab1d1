/** The {@code kafka} receiver: OTLP records from Kafka topics into pipelines, at least once. */
package io.tiercel.kafka.receiver;
