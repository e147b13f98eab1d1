/** The OTLP/JSON encoding of OTLP traces, metrics and logs (encoder and lenient decoder). */
package io.tiercel.core.pdata.json;
