package io.tiercel.testing.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shape rules read from a module's source tree: a {@code package-info.java} in every package,
 * annotated {@code @NullMarked} and saying in Javadoc what the package is for; no long files; no
 * long lines. Files are named relative to the module directory with {@code /} separators ({@code
 * src/main/java/io/tiercel/x/Y.java}), the names an allowlist or a known-violations list uses.
 */
public final class SourceRules {
  /** The label of the package-info rule in a {@link Violation#key()}. */
  public static final String PACKAGE_INFO = "package-info";

  private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");
  private static final Pattern PACKAGE_DECLARATION =
      Pattern.compile("(?s)^(.*?)\\bpackage\\s+([\\w.]+)\\s*;(.*)$");
  private static final Pattern NULL_MARKED_QUALIFIED =
      Pattern.compile("@\\s*org\\s*\\.\\s*jspecify\\s*\\.\\s*annotations\\s*\\.\\s*NullMarked\\b");
  private static final Pattern NULL_MARKED_SIMPLE = Pattern.compile("@\\s*NullMarked\\b");
  private static final Pattern NULL_MARKED_IMPORT =
      Pattern.compile("\\bimport\\s+org\\.jspecify\\.annotations\\.(NullMarked|\\*)\\s*;");

  private SourceRules() {}

  /** The label of the file-length rule for {@code maxLines}: {@code file over 600 lines}. */
  public static String longFileRule(int maxLines) {
    return "file over " + maxLines + " lines";
  }

  /** The label of the line-length rule for {@code maxChars}: {@code line over 120 characters}. */
  public static String longLineRule(int maxChars) {
    return "line over " + maxChars + " characters";
  }

  /**
   * Every package under {@code sourceRoot} (a directory holding at least one {@code .java} file)
   * that has no {@code package-info.java}, or one without a Javadoc comment or without the
   * {@code @org.jspecify.annotations.NullMarked} annotation. The subject is the package name.
   */
  public static List<Violation> packageInfo(Path sourceRoot) {
    List<Violation> out = new ArrayList<>();
    for (Path dir : packageDirectories(sourceRoot)) {
      String pkg = sourceRoot.relativize(dir).toString().replace(java.io.File.separatorChar, '.');
      Path info = dir.resolve("package-info.java");
      if (!Files.isRegularFile(info)) {
        out.add(new Violation(PACKAGE_INFO, pkg, "no package-info.java"));
        continue;
      }
      List<String> problems = packageInfoProblems(read(info));
      if (!problems.isEmpty()) {
        out.add(
            new Violation(PACKAGE_INFO, pkg, "package-info.java " + String.join(", ", problems)));
      }
    }
    return out;
  }

  /** What is wrong with one {@code package-info.java}'s text; empty when nothing is. */
  static List<String> packageInfoProblems(String text) {
    Matcher declaration = PACKAGE_DECLARATION.matcher(COMMENT.matcher(text).replaceAll(" "));
    if (!declaration.matches()) {
      return List.of("has no package declaration");
    }
    List<String> problems = new ArrayList<>();
    if (!text.contains("/**")) {
      problems.add("has no Javadoc saying what the package is for");
    }
    boolean marked =
        NULL_MARKED_QUALIFIED.matcher(declaration.group(1)).find()
            || (NULL_MARKED_SIMPLE.matcher(declaration.group(1)).find()
                && NULL_MARKED_IMPORT.matcher(declaration.group(3)).find());
    if (!marked) {
      problems.add("is not annotated @org.jspecify.annotations.NullMarked");
    }
    return problems;
  }

  /**
   * Every {@code .java} file under {@code sourceRoot} longer than {@code maxLines} lines that
   * {@code allowlist} (module-relative file name to the reason it may be long) does not name; and
   * every allowlist entry that no longer earns its place: a blank reason, a file that does not
   * exist, or one that is no longer over the limit. The subject is the module-relative file name.
   */
  public static List<Violation> longFiles(
      Path moduleDir, Path sourceRoot, int maxLines, Map<String, String> allowlist) {
    String rule = longFileRule(maxLines);
    Map<String, Integer> lines = new TreeMap<>();
    for (Path f : javaFiles(sourceRoot)) {
      lines.put(relative(moduleDir, f), lineCount(read(f)));
    }
    List<Violation> out = new ArrayList<>();
    for (var e : lines.entrySet()) {
      if (e.getValue() > maxLines && !allowlist.containsKey(e.getKey())) {
        out.add(new Violation(rule, e.getKey(), e.getValue() + " lines"));
      }
    }
    for (var a : new TreeMap<>(allowlist).entrySet()) {
      Integer n = lines.get(a.getKey());
      if (a.getValue() == null || a.getValue().isBlank()) {
        out.add(new Violation(rule, a.getKey(), "allowlisted without a reason: give one"));
      } else if (n == null) {
        out.add(new Violation(rule, a.getKey(), "allowlisted but no such file: remove the entry"));
      } else if (n <= maxLines) {
        out.add(
            new Violation(
                rule, a.getKey(), "allowlisted but only " + n + " lines: remove the entry"));
      }
    }
    out.sort(java.util.Comparator.comparing(Violation::subject));
    return out;
  }

  /**
   * Every {@code .java} file under {@code sourceRoots} (those that exist) with a line longer than
   * {@code maxChars} characters (Unicode code points), naming the lines. The subject is the
   * module-relative file name.
   */
  public static List<Violation> longLines(Path moduleDir, List<Path> sourceRoots, int maxChars) {
    String rule = longLineRule(maxChars);
    List<Violation> out = new ArrayList<>();
    for (Path root : sourceRoots) {
      for (Path f : javaFiles(root)) {
        List<String> where = new ArrayList<>();
        String[] lines = read(f).split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
          int length = lines[i].codePointCount(0, lines[i].length());
          if (length > maxChars) {
            where.add("line " + (i + 1) + " (" + length + ")");
          }
        }
        if (!where.isEmpty()) {
          out.add(new Violation(rule, relative(moduleDir, f), String.join(", ", where)));
        }
      }
    }
    return out;
  }

  /** The number of lines, as {@code wc -l} counts them for a file that ends with a newline. */
  static int lineCount(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    int n = (int) text.chars().filter(c -> c == '\n').count();
    return text.endsWith("\n") ? n : n + 1;
  }

  private static Set<Path> packageDirectories(Path sourceRoot) {
    Set<Path> dirs = new TreeSet<>();
    for (Path f : javaFiles(sourceRoot)) {
      dirs.add(f.getParent());
    }
    return dirs;
  }

  /** The {@code .java} files under {@code root}, sorted; none when it does not exist. */
  static List<Path> javaFiles(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".java") && Files.isRegularFile(f))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static String relative(Path moduleDir, Path file) {
    return moduleDir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }
}
