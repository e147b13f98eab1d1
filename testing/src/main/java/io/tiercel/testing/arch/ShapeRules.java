package io.tiercel.testing.arch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape rules every module checks on its own code, as JUnit tests. Extend it once per module
 * ({@code ShapeRulesTest}); by default it checks the module Surefire runs in:
 *
 * <ul>
 *   <li>no import loop between the packages of the module's main classes ({@link PackageCycles});
 *   <li>a {@code package-info.java} with Javadoc and {@code @NullMarked} in every main-source
 *       package ({@link SourceRules#packageInfo});
 *   <li>no main-source file over {@value #MAX_FILE_LINES} lines, except those {@link
 *       #longFileAllowlist()} names with a reason;
 *   <li>no line over {@value #MAX_LINE_CHARS} characters in main and test sources;
 *   <li>no use of another module's internal package on the test classpath ({@link
 *       NoForeignInternals}).
 * </ul>
 *
 * <p>Violations that other work is removing are listed, by {@link Violation#key()}, in {@link
 * #knownViolationsBeingFixedByIssue12()}; each rule asserts that it finds exactly those, so a fixed
 * one fails the test until it is taken off the list.
 */
public abstract class ShapeRules {
  /** The longest a main-source file may be without an allowlist entry. */
  public static final int MAX_FILE_LINES = 600;

  /** The longest line in main and test sources. */
  public static final int MAX_LINE_CHARS = 120;

  private static final List<String> RULES =
      List.of(
          PackageCycles.RULE,
          SourceRules.PACKAGE_INFO,
          SourceRules.longFileRule(MAX_FILE_LINES),
          SourceRules.longLineRule(MAX_LINE_CHARS));

  /** The module's directory (holding {@code pom.xml}); default: where Surefire runs the tests. */
  protected Path moduleDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  /** The module's compiled main classes, a directory or a jar; default {@code target/classes}. */
  protected Path mainClasses() {
    return moduleDir().resolve("target/classes");
  }

  /**
   * Main-source files (module-relative, e.g. {@code src/main/java/io/tiercel/x/Y.java}) allowed
   * over {@value #MAX_FILE_LINES} lines, each with the reason; default none.
   */
  protected Map<String, String> longFileAllowlist() {
    return Map.of();
  }

  /**
   * Violations, by {@link Violation#key()}, that work in progress on issue 12 elsewhere is
   * removing; default none.
   */
  protected Set<String> knownViolationsBeingFixedByIssue12() {
    return Set.of();
  }

  @Test
  protected void noImportLoopBetweenPackages() {
    if (!Files.exists(mainClasses())) {
      throw new AssertionError("no compiled main classes at " + mainClasses());
    }
    Map<String, Set<String>> classes = InternalPackages.classReferences(mainClasses());
    if (classes.isEmpty()) {
      throw new AssertionError("no io.tiercel classes under " + mainClasses());
    }
    assertOnlyKnown(PackageCycles.RULE, PackageCycles.find(classes));
  }

  @Test
  protected void everyPackageHasANullMarkedPackageInfo() {
    assertOnlyKnown(SourceRules.PACKAGE_INFO, SourceRules.packageInfo(mainSources()));
  }

  @Test
  protected void noLongFiles() {
    assertOnlyKnown(
        SourceRules.longFileRule(MAX_FILE_LINES),
        SourceRules.longFiles(moduleDir(), mainSources(), MAX_FILE_LINES, longFileAllowlist()));
  }

  @Test
  protected void noLongLines() {
    assertOnlyKnown(
        SourceRules.longLineRule(MAX_LINE_CHARS),
        SourceRules.longLines(
            moduleDir(),
            List.of(mainSources(), moduleDir().resolve("src/test/java")),
            MAX_LINE_CHARS));
  }

  @Test
  protected void usesNoOtherModulesInternals() {
    NoForeignInternals.check();
  }

  @Test
  protected void everyKnownViolationNamesARule() {
    Set<String> unknown = KnownViolations.unknownRules(knownViolationsBeingFixedByIssue12(), RULES);
    if (!unknown.isEmpty()) {
      throw new AssertionError(
          "known violations that name no rule (the rules are " + RULES + "): " + unknown);
    }
  }

  private Path mainSources() {
    Path src = moduleDir().resolve("src/main/java");
    if (SourceRules.javaFiles(src).isEmpty()) {
      throw new AssertionError("no main sources under " + src);
    }
    return src;
  }

  private void assertOnlyKnown(String rule, List<Violation> found) {
    KnownViolations.verdict(rule, found, knownViolationsBeingFixedByIssue12())
        .ifPresent(
            message -> {
              throw new AssertionError(message + "\nmodule: " + moduleDir());
            });
  }
}
