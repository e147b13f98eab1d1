/**
 * Zipkin v2 spans to OTLP traces and back, with the OpenTelemetry Collector's Zipkin translator
 * rules (span kinds, status tags, tags to attributes, endpoints, ids, timestamps); the bytes are
 * read and written by Zipkin's own codecs.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.kafka.common.encoding.zipkin;
