package io.tiercel.distributions.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.cli.ConfigSources;
import io.tiercel.core.cli.Main;
import io.tiercel.core.component.BuildInfo;
import io.tiercel.core.component.ComponentRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README command 1 in its short mode: both tiers and the embedded broker, counts reconciled, exit 0. */
@Tag("integration")
class DemoIT {
  @TempDir Path dir;

  @Test
  void theDemoRunsBothTiersAndReconciles() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ComponentRegistry registry = ComponentRegistry.load();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new Main(registry, ConfigSources.loader(registry, System::getenv), BuildInfo.DEFAULT, o, e).execute("demo", "--duration", "6s", "--rate", "300", "--output", dir.toString());
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text + err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(text).contains("RESULT: OK - every acknowledged item reached the output; nothing lost.");
    List<String> rows = text.lines().filter(l -> l.matches("^(spans|metric_points|log_records) .*")).toList();
    assertThat(rows).hasSize(3);
    for (String row : rows) {
      String[] c = row.trim().split("\\s+");
      long sent = Long.parseLong(c[1].replace(",", ""));
      long filtered = Long.parseLong(c[5].replace(",", ""));
      long exported = Long.parseLong(c[6].replace(",", ""));
      assertThat(sent).as(row).isPositive();
      assertThat(exported + filtered).as(row).isGreaterThanOrEqualTo(sent);
      assertThat(c[7]).as(row).isEqualTo("0");
    }
    // every exported item is in the output file, as OTLP JSON lines
    assertThat(Files.readAllLines(dir.resolve("processing-output.jsonl"))).isNotEmpty()
        .allSatisfy(l -> assertThat(l).startsWith("{\"resource"));
    assertThat(dir.resolve("ingestion.yaml")).exists();
    assertThat(dir.resolve("processing.yaml")).exists();
  }
}
