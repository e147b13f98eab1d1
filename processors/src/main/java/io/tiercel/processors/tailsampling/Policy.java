package io.tiercel.processors.tailsampling;

/**
 * One configured sampling policy: a name and an evaluator. Evaluators may keep state (rate
 * limiting), so the engine calls them from one thread at a time.
 */
public interface Policy {
  /** The policy's configured name (unique among the top-level policies). */
  String name();

  /** The policy's type, e.g. {@code latency}. */
  String type();

  /**
   * Evaluates a trace. Called by one thread at a time; must not block.
   *
   * @throws RuntimeException when the policy cannot evaluate (the engine counts it as {@link
   *     Decision#ERROR})
   */
  Decision evaluate(TraceView trace);
}
