/** The data a pipeline carries: OTLP traces, metrics and logs as bytes and/or parsed messages. */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.pdata;
