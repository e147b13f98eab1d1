package io.tiercel.testing.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package-loop rule on small dependency graphs, and once on class files javac wrote. */
class PackageCyclesTest {
  @TempDir Path dir;

  @Test
  void aGraphWithoutLoopsHasNone() {
    assertThat(
            PackageCycles.find(
                Map.of(
                    "m.a.A", Set.of("m.b.B", "m.c.C"),
                    "m.b.B", Set.of("m.c.C"),
                    "m.c.C", Set.of("java.lang.Object"))))
        .isEmpty();
  }

  @Test
  void aTwoPackageLoopIsOneCycleWithTheSmallestExamplePerEdge() {
    List<Violation> found =
        PackageCycles.find(
            Map.of(
                "m.b.Z", Set.of("m.a.W"),
                "m.a.X", Set.of("m.b.Y"),
                "m.a.V", Set.of("m.b.Y2", "m.a.X"),
                "m.b.Y", Set.of(),
                "m.b.Y2", Set.of()));
    assertThat(found)
        .containsExactly(
            new Violation(
                "package loop", "m.a -> m.b -> m.a", "m.a.V uses m.b.Y2; m.b.Z uses m.a.W"));
    assertThat(found.get(0).key()).isEqualTo("package loop: m.a -> m.b -> m.a");
  }

  @Test
  void everyEdgeOnALoopIsReportedOnSomeCycleWrittenFromItsSmallestPackage() {
    // c -> a -> b -> c, and b -> a: two cycles through a and b; d only hangs off the loop
    List<Violation> found =
        PackageCycles.find(
            Map.of(
                "m.c.C", Set.of("m.a.A"),
                "m.a.A", Set.of("m.b.B"),
                "m.b.B", Set.of("m.c.C", "m.a.A2", "m.d.D"),
                "m.a.A2", Set.of(),
                "m.d.D", Set.of("m.a.A")));
    assertThat(found)
        .extracting(Violation::subject)
        .containsExactly(
            "m.a -> m.b -> m.a", "m.a -> m.b -> m.c -> m.a", "m.a -> m.b -> m.d -> m.a");
    assertThat(found.get(1).detail())
        .isEqualTo("m.a.A uses m.b.B; m.b.B uses m.c.C; m.c.C uses m.a.A");
  }

  @Test
  void usesOutsideTheModuleAndInsideOnePackageAreNoEdges() {
    assertThat(
            PackageCycles.find(
                Map.of(
                    "m.a.A", Set.of("m.a.A$Inner", "other.x.X", "java.util.List"),
                    "m.a.A$Inner", Set.of("m.a.A"),
                    "m.b.B", Set.of("other.x.X", "m.a.A"))))
        .isEmpty();
  }

  @Test
  void findsTheLoopInRealClassFiles() throws Exception {
    Path classes = dir.resolve("mod/target/classes");
    InternalPackagesTest.compile(
        dir.resolve("src"),
        classes,
        Map.of(
            "io/tiercel/fix/config/Settings.java",
            """
            package io.tiercel.fix.config;
            public record Settings(io.tiercel.fix.component.Id id) {}
            """,
            "io/tiercel/fix/component/Id.java",
            """
            package io.tiercel.fix.component;
            public record Id(String name) {
              public static io.tiercel.fix.config.Settings settings() { return null; }
            }
            """,
            "io/tiercel/fix/util/Text.java",
            """
            package io.tiercel.fix.util;
            public final class Text { Object o = new io.tiercel.fix.component.Id("x"); }
            """),
        List.of());
    assertThat(PackageCycles.find(InternalPackages.classReferences(classes)))
        .containsExactly(
            new Violation(
                "package loop",
                "io.tiercel.fix.component -> io.tiercel.fix.config -> io.tiercel.fix.component",
                "io.tiercel.fix.component.Id uses io.tiercel.fix.config.Settings;"
                    + " io.tiercel.fix.config.Settings uses io.tiercel.fix.component.Id"));
  }
}
