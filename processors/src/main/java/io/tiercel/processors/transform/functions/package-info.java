/**
 * The transform processor's own OTTL functions (the collector's transformprocessor functions, not
 * the ottlfuncs reference): metric conversions and derivations, histogram bucket work, the log
 * parsers ParseCEF, ParseCLF, ParseELF and ParseLEEF, and set_semconv_span_name. {@link
 * io.tiercel.processors.transform.functions.TransformFunctions#registry()} is the standard registry
 * with them added; only the transform processor compiles with it.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.processors.transform.functions;
