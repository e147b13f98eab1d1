package io.tiercel.processors.tailsampling;

import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.tailsampling.SharedPolicy.OttlCondition;
import java.time.Clock;
import java.util.List;

/**
 * {@code ottl_condition}: samples a trace when any of its compiled conditions is true for a span
 * (in the span context) or a span event (in the spanevent context). A condition that fails counts
 * as false, reported as the error mode says; with {@code propagate} the failure ends the evaluation
 * (the engine counts it as an error).
 */
final class OttlEvaluator {
  private final List<Condition> span;
  private final List<Condition> event;
  private final ErrorMode mode;
  private final Clock clock;
  private final Errors errors;

  OttlEvaluator(OttlCondition.Settings settings, Clock clock, Errors errors) {
    this.span = settings.spanConditions();
    this.event = settings.spaneventConditions();
    this.mode = settings.errorMode();
    this.clock = clock;
    this.errors = errors;
  }

  Decision evaluate(TraceView t) {
    CurrentItem c = new CurrentItem(clock);
    boolean matched =
        t.anySpan(
            r -> {
              c.resource(r.resource().getResource())
                  .resourceHolder(r.resource())
                  .scope(r.scope().getScope())
                  .scopeHolder(r.scope())
                  .span(r.span());
              if (any(span, c)) {
                return true;
              }
              if (!event.isEmpty()) {
                for (int i = 0; i < r.span().getEventsCount(); i++) {
                  if (any(event, c.event(r.span().getEvents(i), i))) {
                    return true;
                  }
                }
              }
              return false;
            });
    return matched ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }

  private boolean any(List<Condition> conds, CurrentItem c) {
    for (Condition cond : conds) {
      try {
        if (cond.test(c)) {
          return true;
        }
      } catch (RuntimeException e) {
        if (mode == ErrorMode.PROPAGATE) {
          throw e;
        }
        errors.failed(mode, "condition", cond.text(), e);
      }
    }
    return false;
  }
}
