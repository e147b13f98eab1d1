package io.tiercel.testing;

import io.tiercel.testing.arch.InternalPackages;
import io.tiercel.testing.arch.ShapeRules;
import java.nio.file.Path;
import java.util.Set;

/**
 * The shape rules on collector-core, checked here because the rules live in this module and
 * collector-core cannot depend on it. Its sources are the sibling directory; its classes are the
 * collector-core entry of this module's test classpath (the reactor's build of it).
 */
class CollectorCoreShapeRulesTest extends ShapeRules {
  /**
   * Known violations being fixed by issue 12 in other branches. Each rule passes only while it
   * finds exactly the entries here that name it: remove an entry when its fix lands (the list ends
   * empty).
   */
  private static final Set<String> KNOWN_VIOLATIONS_BEING_FIXED_BY_ISSUE_12 = Set.of();

  @Override
  protected Path moduleDir() {
    return super.moduleDir().getParent().resolve("collector-core");
  }

  @Override
  protected Path mainClasses() {
    return InternalPackages.tiercelClasspath().stream()
        .filter(r -> r.module().equals("collector-core"))
        .map(InternalPackages.Root::path)
        .filter(p -> !p.endsWith("test-classes"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("collector-core is not on the test classpath"));
  }

  @Override
  protected Set<String> knownViolationsBeingFixedByIssue12() {
    return KNOWN_VIOLATIONS_BEING_FIXED_BY_ISSUE_12;
  }
}
