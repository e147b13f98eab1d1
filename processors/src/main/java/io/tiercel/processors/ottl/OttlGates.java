package io.tiercel.processors.ottl;

import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import java.util.List;

/**
 * The feature-gate check of compiled OTTL: a statement or condition that calls a function taking a
 * lambda is only built while the collector's {@code ottl.functions.enableLambda} gate is on. The
 * config compiles every function (it cannot see the gates); the processor's factory calls this
 * while it builds, when the service's gates are known.
 */
public final class OttlGates {
  private OttlGates() {}

  /**
   * The collector's error for {@code function} while its gate is off.
   *
   * @param function a function that takes a lambda
   */
  public static String message(String function) {
    return "function \""
        + function
        + "\" is experimental and requires the `"
        + FunctionRegistry.LAMBDA_GATE.id()
        + "` feature gate to be enabled";
  }

  /**
   * Fails naming the first gated function a group calls while the gate is off.
   *
   * @throws IllegalArgumentException with {@link #message} and the statement or condition
   */
  public static void require(List<Group> groups, FeatureGates gates) {
    if (gates.isEnabled(FunctionRegistry.LAMBDA_GATE)) {
      return;
    }
    for (Group g : groups) {
      for (Condition c : g.conditions()) {
        requireCondition(c, gates);
      }
      for (Statement s : g.statements()) {
        if (!s.gatedFunctions().isEmpty()) {
          throw new IllegalArgumentException(
              "statement \"" + s.text() + "\": " + message(s.gatedFunctions().get(0)));
        }
      }
    }
  }

  /**
   * Fails when {@code c} calls a gated function while the gate is off.
   *
   * @throws IllegalArgumentException with {@link #message} and the condition
   */
  public static void requireCondition(Condition c, FeatureGates gates) {
    if (!c.gatedFunctions().isEmpty() && !gates.isEnabled(FunctionRegistry.LAMBDA_GATE)) {
      throw new IllegalArgumentException(
          "condition \"" + c.text() + "\": " + message(c.gatedFunctions().get(0)));
    }
  }
}
