package io.tiercel.testing.arch;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JUnit base every module extends, run on a small module written and compiled here: each rule
 * fails naming what breaks it, and passes when the known-violations list names exactly that.
 */
class ShapeRulesFixtureTest {
  @TempDir Path module;

  private static final String LOOP =
      "package loop: io.tiercel.fix.a -> io.tiercel.fix.b -> io.tiercel.fix.a";
  private static final String NO_PACKAGE_INFO = "package-info: io.tiercel.fix.b";
  private static final String LONG_FILE =
      "file over 600 lines: src/main/java/io/tiercel/fix/b/B.java";
  private static final String LONG_LINE =
      "line over 120 characters: src/test/java/io/tiercel/fix/a/ATest.java";

  /** The fixture module, with {@code known} as its known violations being fixed by issue 12. */
  private ShapeRules rules(Set<String> known, Map<String, String> allowlist) {
    return new ShapeRules() {
      @Override
      protected Path moduleDir() {
        return module;
      }

      @Override
      protected Map<String, String> longFileAllowlist() {
        return allowlist;
      }

      @Override
      protected Set<String> knownViolationsBeingFixedByIssue12() {
        return known;
      }
    };
  }

  @BeforeEach
  void writeModule() throws Exception {
    Map<String, String> sources =
        Map.of(
            "io/tiercel/fix/a/package-info.java",
            "/** Fixture a. */\n@org.jspecify.annotations.NullMarked\npackage io.tiercel.fix.a;\n",
            "io/tiercel/fix/a/A.java",
            "package io.tiercel.fix.a;\npublic final class A { io.tiercel.fix.b.B b; }\n",
            "io/tiercel/fix/b/B.java",
            "package io.tiercel.fix.b;\npublic final class B { io.tiercel.fix.a.A a; }\n"
                + "//\n".repeat(620));
    Path src = module.resolve("src/main/java");
    for (var e : sources.entrySet()) {
      Path f = src.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
    }
    Path classes = module.resolve("target/classes");
    InternalPackagesTest.compile(
        module.resolve("compile-src"),
        classes,
        Map.of(
            "io/tiercel/fix/a/A.java", sources.get("io/tiercel/fix/a/A.java"),
            "io/tiercel/fix/b/B.java", sources.get("io/tiercel/fix/b/B.java")),
        List.of());
    Path test = module.resolve("src/test/java/io/tiercel/fix/a/ATest.java");
    Files.createDirectories(test.getParent());
    Files.writeString(test, "// " + "x".repeat(130) + "\n");
  }

  @Test
  void everyRuleFailsNamingWhatBreaksIt() {
    ShapeRules none = rules(Set.of(), Map.of());
    assertThatThrownBy(none::noImportLoopBetweenPackages)
        .hasMessageContaining(LOOP)
        .hasMessageContaining("io.tiercel.fix.a.A uses io.tiercel.fix.b.B");
    assertThatThrownBy(none::everyPackageHasANullMarkedPackageInfo)
        .hasMessageContaining(NO_PACKAGE_INFO + "\n      no package-info.java");
    assertThatThrownBy(none::noLongFiles).hasMessageContaining(LONG_FILE + "\n      622 lines");
    assertThatThrownBy(none::noLongLines).hasMessageContaining(LONG_LINE + "\n      line 1 (133)");
  }

  @Test
  void knownViolationsAndTheAllowlistMakeItPass() {
    ShapeRules known =
        rules(
            Set.of(LOOP, NO_PACKAGE_INFO, LONG_LINE),
            Map.of("src/main/java/io/tiercel/fix/b/B.java", "a fixture that has to be long"));
    assertThatCode(known::noImportLoopBetweenPackages).doesNotThrowAnyException();
    assertThatCode(known::everyPackageHasANullMarkedPackageInfo).doesNotThrowAnyException();
    assertThatCode(known::noLongFiles).doesNotThrowAnyException();
    assertThatCode(known::noLongLines).doesNotThrowAnyException();
    assertThatCode(known::everyKnownViolationNamesARule).doesNotThrowAnyException();
  }

  @Test
  void aFixedKnownViolationFailsUntilRemovedFromTheList() throws IOException {
    Files.writeString(
        module.resolve("src/main/java/io/tiercel/fix/b/package-info.java"),
        "/** Fixture b. */\n@org.jspecify.annotations.NullMarked\npackage io.tiercel.fix.b;\n");
    assertThatThrownBy(
            rules(Set.of(NO_PACKAGE_INFO), Map.of())::everyPackageHasANullMarkedPackageInfo)
        .hasMessageContaining("known violation(s) no longer found")
        .hasMessageContaining(NO_PACKAGE_INFO);
    assertThatCode(rules(Set.of(), Map.of())::everyPackageHasANullMarkedPackageInfo)
        .doesNotThrowAnyException();
  }

  @Test
  void aKnownViolationNamingNoRuleFails() {
    assertThatThrownBy(
            rules(Set.of("package loops: a -> b -> a"), Map.of())::everyKnownViolationNamesARule)
        .hasMessageContaining("package loops: a -> b -> a");
  }

  @Test
  void aModuleWithoutClassesOrSourcesFailsRatherThanPassing() throws IOException {
    ShapeRules empty =
        new ShapeRules() {
          @Override
          protected Path moduleDir() {
            return module.resolve("nothing-here");
          }
        };
    assertThatThrownBy(empty::noImportLoopBetweenPackages)
        .hasMessageContaining("no compiled main classes");
    assertThatThrownBy(empty::everyPackageHasANullMarkedPackageInfo)
        .hasMessageContaining("no main sources");
  }
}
