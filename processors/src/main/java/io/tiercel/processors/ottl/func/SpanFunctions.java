package io.tiercel.processors.ottl.func;

import io.tiercel.processors.ottl.context.OttlContext;

/** The span context's own function: IsRootSpan (from the filter processor). */
final class SpanFunctions {
  private SpanFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.converterIn(
        OttlContext.SPAN,
        "IsRootSpan",
        (a, cols, col) ->
            c -> {
              com.google.protobuf.ByteString p = c.span().getParentSpanId();
              return p.size() == 8
                  && p.equals(com.google.protobuf.ByteString.copyFrom(new byte[8]));
            });
  }
}
