package io.tiercel.processors.tailsampling;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Combines the policies' decisions with the collector's rules: policies run in order and a drop ends the
 * evaluation; any drop wins; then an inverted not-sampled vetoes; then any sampled keeps the trace; an inverted
 * sampled keeps it only when no policy said not sampled. Not thread-safe (policies keep state): one caller at
 * a time.
 */
public final class DecisionEngine {
  /**
   * The result of deciding one trace.
   *
   * @param sampled whether the trace is kept
   * @param decisions each evaluated policy's decision, in policy order (a drop ends the list)
   */
  public record Outcome(boolean sampled, List<Decision> decisions) {}

  private final List<Policy> policies;

  /** An engine over the given policies, evaluated in this order. */
  public DecisionEngine(List<Policy> policies) {
    this.policies = List.copyOf(policies);
  }

  /** The policies, in evaluation order. */
  public List<Policy> policies() {
    return policies;
  }

  /** Decides one trace. A policy that throws counts as {@link Decision#ERROR}. */
  public Outcome decide(TraceView trace) {
    List<Decision> out = new ArrayList<>(policies.size());
    Set<Decision> seen = EnumSet.noneOf(Decision.class);
    for (Policy p : policies) {
      Decision d;
      try {
        d = p.evaluate(trace);
      } catch (RuntimeException e) {
        d = Decision.ERROR;
      }
      out.add(d);
      seen.add(d);
      if (d == Decision.DROPPED) {
        break;
      }
    }
    return new Outcome(combine(seen), out);
  }

  /** The final decision from the set of decisions the policies returned. */
  static boolean combine(Set<Decision> seen) {
    if (seen.contains(Decision.DROPPED) || seen.contains(Decision.INVERTED_NOT_SAMPLED)) {
      return false;
    }
    if (seen.contains(Decision.SAMPLED)) {
      return true;
    }
    return seen.contains(Decision.INVERTED_SAMPLED) && !seen.contains(Decision.NOT_SAMPLED);
  }
}
