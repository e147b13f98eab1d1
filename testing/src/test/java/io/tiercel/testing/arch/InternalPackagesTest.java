package io.tiercel.testing.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule itself, on two small modules compiled here: every way a class file can name another
 * module's internal class is caught, uses inside the owning module (main and tests) are not, and
 * neither are non-internal packages whose names merely contain "internal".
 */
class InternalPackagesTest {
  @TempDir Path dir;

  /** Compiles {@code sources} (path -> text) into {@code out}, with {@code classpath}. */
  static void compile(Path src, Path out, Map<String, String> sources, List<Path> classpath)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "17"));
    if (!classpath.isEmpty()) {
      args.add("-cp");
      args.add(
          String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    }
    for (var e : sources.entrySet()) {
      Path f = src.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
      args.add(f.toString());
    }
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, args.toArray(String[]::new)))
        .as("javac " + args)
        .isZero();
  }

  @Test
  void findsEveryKindOfUseFromAnotherModuleAndNoneInsideTheOwner() throws Exception {
    Path aMain = dir.resolve("mod-a/target/classes");
    Path aTest = dir.resolve("mod-a/target/test-classes");
    Path bMain = dir.resolve("mod-b/target/classes");
    compile(
        dir.resolve("src-a"),
        aMain,
        Map.of(
            "io/tiercel/fix/a/internal/Hidden.java",
                """
                package io.tiercel.fix.a.internal;
                public final class Hidden {
                  public static final class Nested {}
                  public static int answer() { return 42; }
                }
                """,
            "io/tiercel/fix/a/Api.java",
                """
                package io.tiercel.fix.a;
                public final class Api {
                  public static int call() { return io.tiercel.fix.a.internal.Hidden.answer(); }
                }
                """,
            "io/tiercel/fix/a/internalish/NotInternal.java",
                """
                package io.tiercel.fix.a.internalish;
                public final class NotInternal {}
                """),
        List.of());
    compile(
        dir.resolve("src-a-test"),
        aTest,
        Map.of(
            "io/tiercel/fix/a/HiddenTest.java",
            """
            package io.tiercel.fix.a;
            class HiddenTest { Object o = new io.tiercel.fix.a.internal.Hidden.Nested(); }
            """),
        List.of(aMain));
    compile(
        dir.resolve("src-b"),
        bMain,
        Map.of(
            "io/tiercel/fix/b/Calls.java",
                """
                package io.tiercel.fix.b;
                public final class Calls { int x = io.tiercel.fix.a.internal.Hidden.answer(); }
                """,
            "io/tiercel/fix/b/FieldType.java",
                """
                package io.tiercel.fix.b;
                public final class FieldType { io.tiercel.fix.a.internal.Hidden.Nested[] field; }
                """,
            "io/tiercel/fix/b/Generic.java",
                """
                package io.tiercel.fix.b;
                public final class Generic { java.util.List<io.tiercel.fix.a.internal.Hidden> list; }
                """,
            "io/tiercel/fix/b/Param.java",
                """
                package io.tiercel.fix.b;
                public interface Param { void take(io.tiercel.fix.a.internal.Hidden h); }
                """,
            "io/tiercel/fix/b/Fine.java",
                """
                package io.tiercel.fix.b;
                public final class Fine {
                  int y = io.tiercel.fix.a.Api.call();
                  io.tiercel.fix.a.internalish.NotInternal z;
                }
                """),
        List.of(aMain));
    // module b as a jar, the way the reactor hands a packaged sibling to a test classpath
    Path bJar = dir.resolve("mod-b-0.1.0-SNAPSHOT.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(bJar));
        var files = Files.walk(bMain)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jar.putNextEntry(new JarEntry(bMain.relativize(f).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(f));
        jar.closeEntry();
      }
    }

    List<InternalPackages.Root> roots =
        List.of(
            new InternalPackages.Root(InternalPackages.moduleOf(aMain), aMain),
            new InternalPackages.Root(InternalPackages.moduleOf(aTest), aTest),
            new InternalPackages.Root(InternalPackages.moduleOf(bJar), bJar));
    assertThat(roots)
        .extracting(InternalPackages.Root::module)
        .containsExactly("mod-a", "mod-a", "mod-b");
    InternalPackages.Report r = InternalPackages.scan(roots);
    assertThat(r.classes())
        .isEqualTo(10); // a: Hidden, Hidden$Nested, Api, NotInternal; a tests: 1; b: 5
    assertThat(r.violations())
        .containsExactly(
            "io.tiercel.fix.b.Calls (mod-b) uses io.tiercel.fix.a.internal.Hidden, internal to"
                + " mod-a",
            "io.tiercel.fix.b.FieldType (mod-b) uses io.tiercel.fix.a.internal.Hidden$Nested,"
                + " internal to mod-a",
            // the nested class's InnerClasses entry names its outer class too: a real use of it
            "io.tiercel.fix.b.FieldType (mod-b) uses io.tiercel.fix.a.internal.Hidden, internal to"
                + " mod-a",
            "io.tiercel.fix.b.Generic (mod-b) uses io.tiercel.fix.a.internal.Hidden, internal to"
                + " mod-a",
            "io.tiercel.fix.b.Param (mod-b) uses io.tiercel.fix.a.internal.Hidden, internal to"
                + " mod-a");
  }

  @Test
  void internalMeansAPackageSegment() {
    assertThat(InternalPackages.isInternal("io/tiercel/kafka/common/internal/X")).isTrue();
    assertThat(InternalPackages.isInternal("io/tiercel/internal/X$Y")).isTrue();
    assertThat(InternalPackages.isInternal("io/tiercel/kafka/internalish/X")).isFalse();
    assertThat(InternalPackages.isInternal("io/tiercel/kafka/Internal")).isFalse();
  }
}
