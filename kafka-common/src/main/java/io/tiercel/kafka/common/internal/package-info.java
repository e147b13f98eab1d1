/**
 * Kafka client plug-ins the client loads by class name (not API: no other module uses them
 * directly).
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.common.internal;
