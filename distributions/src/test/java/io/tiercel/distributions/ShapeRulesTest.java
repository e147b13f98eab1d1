package io.tiercel.distributions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.testing.arch.InternalPackages;
import io.tiercel.testing.arch.NoForeignInternals;
import io.tiercel.testing.arch.ShapeRules;
import org.junit.jupiter.api.Test;

/**
 * The shape rules on this module's own code, and STYLE rule 7 where every shipped module is on the
 * classpath: no module uses another module's internal package. (Each module's own ShapeRulesTest
 * covers its test code; benchmarks checks itself.)
 */
class ShapeRulesTest extends ShapeRules {
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
