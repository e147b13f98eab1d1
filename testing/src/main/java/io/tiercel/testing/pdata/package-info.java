/** Generated OTLP data for property tests: random messages, non-canonical encodings, mutations. */
@org.jspecify.annotations.NullMarked
package io.tiercel.testing.pdata;
