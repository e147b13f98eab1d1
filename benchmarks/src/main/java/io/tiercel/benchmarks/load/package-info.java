/**
 * The two-tier load tool: runs each tier in its own JVM over real sockets and a real broker,
 * measures throughput, latency, CPU and memory from the outside beside a raw Kafka client doing the
 * same job, and prints the markdown that goes into docs/BENCHMARKS.md.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.benchmarks.load;
