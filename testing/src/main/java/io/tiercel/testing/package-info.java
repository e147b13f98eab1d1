/**
 * Test helpers for every module: OTLP test data ({@link io.tiercel.testing.TestData}) and a manual
 * clock.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.testing;
