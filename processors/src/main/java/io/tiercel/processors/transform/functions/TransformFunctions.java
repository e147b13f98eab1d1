package io.tiercel.processors.transform.functions;

import io.tiercel.processors.ottl.func.FunctionRegistry;

/**
 * The functions the transform processor compiles with: the standard OTTL functions and the
 * processor's own, which the collector registers only for this processor (the filter processor does
 * not know them).
 */
public final class TransformFunctions {
  private TransformFunctions() {}

  /** The standard registry plus the transform processor's functions (built once, immutable). */
  public static FunctionRegistry registry() {
    return Holder.REGISTRY;
  }

  /** Adds the transform processor's own functions to {@code b}. */
  public static FunctionRegistry.Builder register(FunctionRegistry.Builder b) {
    MetricDerivations.register(b);
    PercentileFunction.register(b);
    MetricAggregations.register(b);
    HistogramFunctions.register(b);
    LogParsingFunctions.register(b);
    SemconvSpanName.register(b);
    return b;
  }

  private static final class Holder {
    static final FunctionRegistry REGISTRY =
        register(FunctionRegistry.standard().toBuilder()).build();
  }
}
