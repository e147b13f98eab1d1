/**
 * JMH benchmarks of the hot paths (OTLP on the wire, Kafka split and decode, OTTL, tail_sampling)
 * and the tools that measure what JMH cannot: tail_sampling's CPU per span, decision latency and
 * heap per buffered span, and the ingestion tier against a raw Kafka producer.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.benchmarks;
