package io.tiercel.processors.ottl;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.func.FunctionRegistry;

/**
 * Fuzz target of the OTTL parser and compiler: any statement or condition text compiles or is
 * refused with an {@link OttlException} naming the column; nothing else escapes (no stack overflow
 * on deep nesting, no index errors). Regression mode replays {@code OttlParserFuzzTestInputs}.
 */
class OttlParserFuzzTest {
  private static final Ottl OTTL = new Ottl(FunctionRegistry.standard());

  @FuzzTest(maxDuration = "30s")
  void parse(FuzzedDataProvider in) {
    boolean statement = in.consumeBoolean();
    OttlContext context = in.pickValue(OttlContext.values());
    Signal signal =
        switch (context) {
          case SPAN, SPANEVENT -> Signal.TRACES;
          case METRIC, DATAPOINT, EXEMPLAR -> Signal.METRICS;
          case LOG -> Signal.LOGS;
          case RESOURCE, SCOPE -> in.pickValue(Signal.values());
        };
    String text = in.consumeRemainingAsString();
    try {
      if (statement) {
        OTTL.statement(text, context, signal);
      } else {
        OTTL.condition(text, context, signal);
      }
    } catch (OttlException refused) {
      // the expected outcome for most inputs
    }
  }
}
