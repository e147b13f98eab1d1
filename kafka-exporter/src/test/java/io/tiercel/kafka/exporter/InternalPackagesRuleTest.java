package io.tiercel.kafka.exporter;

import io.tiercel.testing.arch.NoForeignInternals;
import org.junit.jupiter.api.Test;

/** STYLE rule 7 over this module's test classpath: no use of another module's internal package. */
class InternalPackagesRuleTest {
  @Test
  void usesNoOtherModulesInternals() {
    NoForeignInternals.check();
  }
}
