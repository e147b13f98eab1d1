/**
 * Parity with the OpenTelemetry Collector: the configs that the collector's authors ship for the
 * components Tiercel has, validated by Tiercel the way {@code tiercel validate} does, each against
 * the expectation written for it in {@code testdata/collector/expectations.yaml}.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.distributions.parity;
