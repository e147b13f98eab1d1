/**
 * A real single-node KRaft Kafka broker for tests (in-process or child JVM) and its JUnit 5
 * extension.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.testing.kafka;
