/**
 * Test helpers for every module: OTLP test data ({@link io.tiercel.testing.TestData}) and a manual
 * clock.
 */
package io.tiercel.testing;
