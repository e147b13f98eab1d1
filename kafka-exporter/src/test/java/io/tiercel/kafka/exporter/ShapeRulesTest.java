package io.tiercel.kafka.exporter;

import io.tiercel.testing.arch.ShapeRules;
import java.util.Set;

/** The shape rules on this module's own code (and STYLE rule 7 over its test classpath). */
class ShapeRulesTest extends ShapeRules {
  /**
   * Known violations being fixed by issue 12 in other branches. Each rule passes only while it
   * finds exactly the entries here that name it: remove an entry when its fix lands (the list ends
   * empty).
   */
  private static final Set<String> KNOWN_VIOLATIONS_BEING_FIXED_BY_ISSUE_12 = Set.of();

  @Override
  protected Set<String> knownViolationsBeingFixedByIssue12() {
    return KNOWN_VIOLATIONS_BEING_FIXED_BY_ISSUE_12;
  }
}
