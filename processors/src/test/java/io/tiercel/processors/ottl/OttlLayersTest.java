package io.tiercel.processors.ottl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The OTTL packages depend on each other in one direction only: eval, grammar, context, func,
 * compile, then the entry package. Read from the compiled classes with the JDK's jdeps.
 */
class OttlLayersTest {
  private static final String ROOT = "io.tiercel.processors.ottl";
  private static final List<String> LAYERS =
      List.of(
          ROOT + ".eval",
          ROOT + ".grammar",
          ROOT + ".context",
          ROOT + ".func",
          ROOT + ".compile",
          ROOT);

  @Test
  void eachPackageDependsOnlyOnTheOnesBelowIt() throws URISyntaxException {
    Path classes = Path.of(Ottl.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int rc =
        jdeps.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "-verbose:package",
            "-filter:package",
            classes.toString());
    assertThat(rc).as(out.toString()).isZero();

    List<String> edges = new ArrayList<>();
    List<String> upward = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      // "   io.tiercel.processors.ottl.func   -> io.tiercel.processors.ottl.eval   classes"
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 3 || !parts[1].equals("->")) {
        continue;
      }
      int from = LAYERS.indexOf(parts[0]);
      int to = LAYERS.indexOf(parts[2]);
      if (from < 0 || to < 0) {
        continue;
      }
      edges.add(parts[0] + " -> " + parts[2]);
      if (to >= from) {
        upward.add(parts[0] + " -> " + parts[2]);
      }
    }
    assertThat(edges).as("jdeps saw the OTTL packages").contains(ROOT + " -> " + ROOT + ".compile");
    assertThat(upward).isEmpty();
  }
}
