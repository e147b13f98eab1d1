package io.tiercel.distributions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.testing.arch.InternalPackages;
import io.tiercel.testing.arch.NoForeignInternals;
import io.tiercel.testing.arch.ShapeRules;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape rules on this module's own code, and STYLE rule 7 where every shipped module is on the
 * classpath: no module uses another module's internal package. (Each module's own ShapeRulesTest
 * covers its test code; benchmarks checks itself.)
 */
class ShapeRulesTest extends ShapeRules {
  /**
   * Known violations being fixed by issue 12 in other branches. Each rule passes only while it
   * finds exactly the entries here that name it: remove an entry when its fix lands (the list ends
   * empty).
   */
  private static final Set<String> KNOWN_VIOLATIONS_BEING_FIXED_BY_ISSUE_12 =
      Set.of(
          // the big files being split
          "file over 600 lines: src/main/java/io/tiercel/distributions/demo/DemoCommand.java");

  @Override
  protected Set<String> knownViolationsBeingFixedByIssue12() {
    return KNOWN_VIOLATIONS_BEING_FIXED_BY_ISSUE_12;
  }

  @Test
  void noModuleUsesAnotherModulesInternals() {
    assertThat(InternalPackages.tiercelClasspath())
        .extracting(InternalPackages.Root::module)
        .as("the rule sees every module of the distribution")
        .contains(
            "collector-core",
            "otlp",
            "processors",
            "kafka-common",
            "kafka-exporter",
            "kafka-receiver",
            "testing",
            "distributions");
    NoForeignInternals.check();
  }
}
