package io.tiercel.testing.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source-tree rules on small trees written here. */
class SourceRulesTest {
  @TempDir Path module;

  private Path write(String relative, String text) throws IOException {
    Path f = module.resolve(relative);
    Files.createDirectories(f.getParent());
    return Files.writeString(f, text);
  }

  private static String lines(int n, int width) {
    return ("x".repeat(width) + "\n").repeat(n);
  }

  @Test
  void everyPackageWithSourcesNeedsADocumentedNullMarkedPackageInfo() throws IOException {
    Path src = module.resolve("src/main/java");
    write("src/main/java/m/good/A.java", "package m.good; class A {}");
    write(
        "src/main/java/m/good/package-info.java",
        """
        /** What m.good is for; the package m.bad; is not this one. */
        @org.jspecify.annotations.NullMarked
        package m.good;
        """);
    write("src/main/java/m/imported/A.java", "package m.imported; class A {}");
    write(
        "src/main/java/m/imported/package-info.java",
        """
        /** What m.imported is for. */
        @NullMarked
        package m.imported;

        import org.jspecify.annotations.NullMarked;
        """);
    write("src/main/java/m/missing/A.java", "package m.missing; class A {}");
    write("src/main/java/m/unmarked/A.java", "package m.unmarked; class A {}");
    write("src/main/java/m/unmarked/package-info.java", "/** Doc. */\npackage m.unmarked;\n");
    write("src/main/java/m/undocumented/A.java", "package m.undocumented; class A {}");
    write(
        "src/main/java/m/undocumented/package-info.java",
        "// a line comment is no Javadoc\n"
            + "@org.jspecify.annotations.NullMarked\n"
            + "package m.undocumented;");
    write(
        "src/main/java/m/commentedout/package-info.java",
        "/** Doc. */\n// @org.jspecify.annotations.NullMarked\npackage m.commentedout;\n");
    write(
        "src/main/java/m/noimport/package-info.java",
        "/** Doc. */\n@NullMarked\npackage m.noimport;\n");
    write("src/main/java/m/resourcesonly/notes.txt", "not a package of sources");

    assertThat(SourceRules.packageInfo(src))
        .containsExactly(
            new Violation(
                "package-info",
                "m.commentedout",
                "package-info.java is not annotated @org.jspecify.annotations.NullMarked"),
            new Violation("package-info", "m.missing", "no package-info.java"),
            new Violation(
                "package-info",
                "m.noimport",
                "package-info.java is not annotated @org.jspecify.annotations.NullMarked"),
            new Violation(
                "package-info",
                "m.undocumented",
                "package-info.java has no Javadoc saying what the package is for"),
            new Violation(
                "package-info",
                "m.unmarked",
                "package-info.java is not annotated @org.jspecify.annotations.NullMarked"));
  }

  @Test
  void filesOverTheLimitFailUnlessAllowlistedAndStaleAllowlistEntriesFail() throws IOException {
    Path src = module.resolve("src/main/java");
    write("src/main/java/m/Long.java", lines(601, 10));
    write("src/main/java/m/Exactly.java", lines(600, 10));
    write("src/main/java/m/NoFinalNewline.java", lines(600, 10) + "}");
    write("src/main/java/m/Allowed.java", lines(700, 10));
    write("src/main/java/m/Shrunk.java", lines(12, 10));
    write("src/main/java/m/NoReason.java", lines(650, 10));
    write("src/test/java/m/LongTest.java", lines(900, 10));

    assertThat(
            SourceRules.longFiles(
                module,
                src,
                600,
                Map.of(
                    "src/main/java/m/Allowed.java", "a generated table",
                    "src/main/java/m/Shrunk.java", "was long",
                    "src/main/java/m/Gone.java", "deleted since",
                    "src/main/java/m/NoReason.java", " ")))
        .containsExactly(
            new Violation(
                "file over 600 lines",
                "src/main/java/m/Gone.java",
                "allowlisted but no such file: remove the entry"),
            new Violation("file over 600 lines", "src/main/java/m/Long.java", "601 lines"),
            new Violation(
                "file over 600 lines", "src/main/java/m/NoFinalNewline.java", "601 lines"),
            new Violation(
                "file over 600 lines",
                "src/main/java/m/NoReason.java",
                "allowlisted without a reason: give one"),
            new Violation(
                "file over 600 lines",
                "src/main/java/m/Shrunk.java",
                "allowlisted but only 12 lines: remove the entry"));
  }

  @Test
  void linesOverTheLimitFailInMainAndTestSourcesNamingEachLine() throws IOException {
    write("src/main/java/m/Wide.java", "ok\n" + "y".repeat(121) + "\nok\n" + "z".repeat(130));
    write("src/main/java/m/Fits.java", "y".repeat(120) + "\r\n" + "\u00e9".repeat(120) + "\n");
    // a code point outside the BMP is one character, though two UTF-16 units
    write("src/test/java/m/EmojiTest.java", "\uD83D\uDE00".repeat(120) + "\n");
    write("src/test/java/m/WideTest.java", "w".repeat(200) + "\n");
    write("src/main/resources/wide.yaml", "k".repeat(500));

    assertThat(
            SourceRules.longLines(
                module,
                List.of(
                    module.resolve("src/main/java"),
                    module.resolve("src/test/java"),
                    module.resolve("src/absent/java")),
                120))
        .containsExactly(
            new Violation(
                "line over 120 characters",
                "src/main/java/m/Wide.java",
                "line 2 (121), line 4 (130)"),
            new Violation(
                "line over 120 characters", "src/test/java/m/WideTest.java", "line 1 (200)"));
  }

  @Test
  void lineCountIsWhatWcCountsForAFileEndingInANewline() {
    assertThat(SourceRules.lineCount("")).isZero();
    assertThat(SourceRules.lineCount("a\nb\n")).isEqualTo(2);
    assertThat(SourceRules.lineCount("a\nb")).isEqualTo(2);
  }
}
