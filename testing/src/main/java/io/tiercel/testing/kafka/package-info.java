/**
 * Real KRaft Kafka for tests: a single-node broker (in-process or child JVM) with its JUnit 5
 * extension, and a multi-node cluster of child JVMs for replication and failover tests.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.testing.kafka;
