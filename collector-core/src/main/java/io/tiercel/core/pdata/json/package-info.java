/** The OTLP/JSON encoding of OTLP traces, metrics and logs (encoder and lenient decoder). */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.pdata.json;
