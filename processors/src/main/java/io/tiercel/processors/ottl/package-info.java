/**
 * The OpenTelemetry Transformation Language: a compiler from statement and condition text to
 * immutable, thread-safe evaluators over OTLP protobuf messages and builders. Entry point: {@link
 * io.tiercel.processors.ottl.Ottl}.
 */
package io.tiercel.processors.ottl;
