package io.tiercel.testing.arch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The assertion each module's {@code ShapeRulesTest} makes (through {@link ShapeRules}): no class
 * on the module's test classpath (its own main and test classes, and the Tiercel modules it depends
 * on) uses another module's internal package. Every module checks its own classpath, so test code
 * is covered as well as main code.
 */
public final class NoForeignInternals {
  private NoForeignInternals() {}

  /**
   * Scans the Tiercel entries of the test classpath.
   *
   * @throws AssertionError listing every violation, one per line; also when nothing was scanned (a
   *     classpath the rule cannot see would make it pass without looking)
   */
  public static void check() {
    List<InternalPackages.Root> roots = InternalPackages.tiercelClasspath();
    InternalPackages.Report r = InternalPackages.scan(roots);
    if (r.classes() == 0) {
      throw new AssertionError("no io.tiercel classes found on the test classpath: " + roots);
    }
    if (!r.violations().isEmpty()) {
      throw new AssertionError(
          r.violations().size()
              + " use(s) of another module's internal package (STYLE rule 7: internal code is not"
              + " API; move it out of internal or keep the use in its module):\n"
              + "  "
              + String.join("\n  ", r.violations())
              + "\nscanned: "
              + roots.stream()
                  .map(x -> x.module() + "=" + x.path())
                  .collect(Collectors.joining(", ")));
    }
  }
}
