package io.tiercel.testing.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A rule passes only when it finds exactly the known violations it owns. */
class KnownViolationsTest {
  private static final Violation LOOP =
      new Violation("package loop", "a -> b -> a", "a.X uses b.Y");
  private static final Violation INFO = new Violation("package-info", "a", "no package-info.java");

  @Test
  void exactlyTheKnownViolationsPass() {
    assertThat(
            KnownViolations.verdict(
                "package loop",
                List.of(LOOP),
                Set.of("package loop: a -> b -> a", "package-info: c")))
        .isEmpty();
    assertThat(KnownViolations.verdict("package loop", List.of(), Set.of("package-info: c")))
        .isEmpty();
  }

  @Test
  void aNewViolationFailsWithItsDetail() {
    assertThat(KnownViolations.verdict("package-info", List.of(INFO), Set.of()))
        .hasValue(
            "1 violation(s) of the shape rule 'package-info':\n"
                + "  package-info: a\n"
                + "      no package-info.java");
  }

  @Test
  void aFixedKnownViolationAsksToBeRemoved() {
    assertThat(
            KnownViolations.verdict(
                "package loop",
                List.of(LOOP),
                Set.of("package loop: a -> b -> a", "package loop: c -> d -> c")))
        .hasValue(
            "1 known violation(s) no longer found: remove them from the module's known violations"
                + " being fixed by issue 12:\n"
                + "  package loop: c -> d -> c");
  }

  @Test
  void newAndFixedAreReportedTogether() {
    assertThat(KnownViolations.verdict("package loop", List.of(LOOP), Set.of("package loop: x")))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("1 violation(s) of the shape rule 'package loop':")
                    .contains("1 known violation(s) no longer found"));
  }

  @Test
  void anEntryNamingNoRuleIsFound() {
    assertThat(
            KnownViolations.unknownRules(
                Set.of("package loop: a -> b -> a", "package-loop: a -> b -> a", "package-info a"),
                List.of("package loop", "package-info")))
        .containsExactly("package-info a", "package-loop: a -> b -> a");
  }
}
