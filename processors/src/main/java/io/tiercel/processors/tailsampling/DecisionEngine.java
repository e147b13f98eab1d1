package io.tiercel.processors.tailsampling;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Combines the policies' decisions with the collector's rules: {@code drop} policies run first (as
 * the collector orders them), then the others in configured order, and a drop ends the evaluation;
 * any drop wins; then an inverted not-sampled vetoes; then any sampled keeps the trace; an inverted
 * sampled keeps it only when no policy said not sampled. With {@code sample_on_first_match} the
 * evaluation also ends at the first SAMPLED (as the collector's: an INVERTED_SAMPLED does not end
 * it), so the rules apply to the decisions up to there: a drop policy (evaluated first) or an
 * inverted veto before it still wins, a veto after it is never asked, and later stateful policies
 * spend no budget on the trace. Not thread-safe (policies keep state): one caller at a time.
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
  private final boolean sampleOnFirstMatch;

  /**
   * An engine evaluating every policy (no {@code sample_on_first_match}); see the other
   * constructor.
   */
  public DecisionEngine(List<Policy> policies) {
    this(policies, false);
  }

  /**
   * An engine over the given policies: those of type {@code drop} first, then the others, each
   * group in the given order. A dropped trace so never reaches, nor uses the budget of, a stateful
   * policy such as {@code rate_limiting} or {@code composite}. With {@code sampleOnFirstMatch} a
   * trace's evaluation ends at the first policy that says SAMPLED.
   */
  public DecisionEngine(List<Policy> policies, boolean sampleOnFirstMatch) {
    this.sampleOnFirstMatch = sampleOnFirstMatch;
    List<Policy> ordered = new ArrayList<>(policies.size());
    policies.stream().filter(p -> p.type().equals("drop")).forEach(ordered::add);
    policies.stream().filter(p -> !p.type().equals("drop")).forEach(ordered::add);
    this.policies = List.copyOf(ordered);
  }

  /** The policies, in evaluation order (drop policies first). */
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
      if (d == Decision.DROPPED || (sampleOnFirstMatch && d == Decision.SAMPLED)) {
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
