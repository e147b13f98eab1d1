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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README command 1 in its short mode: both tiers and the embedded broker, tail sampling on the
 * processing tier, counts reconciled per signal and per sampling policy, exit 0.
 */
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
      code =
          new Main(
                  registry, ConfigSources.loader(registry, System::getenv), BuildInfo.DEFAULT, o, e)
              .execute("demo", "--duration", "6s", "--rate", "300", "--output", dir.toString());
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text + err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(text)
        .contains(
            "RESULT: OK - every acknowledged item was exported or dropped on purpose; nothing"
                + " lost.");
    List<String> rows =
        text.lines().filter(l -> l.matches("^(spans|metric_points|log_records) .*")).toList();
    assertThat(rows).hasSize(3);
    long spansExported = -1;
    for (String row : rows) {
      String[] c = row.trim().split("\\s+");
      long sent = number(c[1]);
      long filtered = number(c[5]);
      long notSampled = c[0].equals("spans") ? number(c[6]) : 0;
      long exported = number(c[7]);
      assertThat(sent).as(row).isPositive();
      assertThat(exported + filtered + notSampled).as(row).isGreaterThanOrEqualTo(sent);
      assertThat(c[8]).as(row).isEqualTo("0");
      if (c[0].equals("spans")) {
        assertThat(notSampled).as("tail sampling dropped traces: " + row).isPositive();
        assertThat(exported).as("tail sampling kept traces: " + row).isPositive().isLessThan(sent);
        spansExported = exported;
      } else {
        assertThat(c[6]).as(row).isEqualTo("-");
      }
    }

    // tail sampling: traces decided, each policy's share, and the reconciliation of its spans
    Matcher decided =
        Pattern.compile(
                "Tail sampling \\(decision_wait 2s\\): ([\\d,]+) traces decided, ([\\d,]+) "
                    + "sampled \\(([\\d.]+)%\\), ([\\d,]+) not sampled")
            .matcher(text);
    assertThat(decided.find()).as(text).isTrue();
    long traces = number(decided.group(1));
    long sampled = number(decided.group(2));
    assertThat(sampled + number(decided.group(4))).isEqualTo(traces);
    assertThat(traces).isPositive();
    Map<String, Double> share = new TreeMap<>();
    Matcher policy =
        Pattern.compile(
                "(?m)^  policy (\\S+) +sampled +([\\d,]+) of ([\\d,]+) traces \\(([\\d.]+)%\\)$")
            .matcher(text);
    while (policy.find()) {
      assertThat(number(policy.group(3))).as(policy.group()).isEqualTo(traces);
      assertThat(number(policy.group(2)))
          .as(policy.group())
          .isPositive()
          .isLessThanOrEqualTo(sampled);
      share.put(policy.group(1), Double.parseDouble(policy.group(4)));
    }
    assertThat(share.keySet()).containsExactly("errors", "slow", "ten-percent");
    // the generator's shapes (1% error spans in 5-span traces, roots of 5 ms to 1.1 s) and the 10%
    // hash share;
    // its trace ids come from a fixed seed, so these are stable
    assertThat(share.get("errors")).isBetween(1.0, 12.0);
    assertThat(share.get("slow")).isBetween(3.0, 16.0);
    assertThat(share.get("ten-percent")).isBetween(4.0, 16.0);
    // any policy keeps a trace: the sampled share is at least each policy's and at most their sum
    double total = 100.0 * sampled / traces;
    assertThat(total)
        .isGreaterThanOrEqualTo(
            share.values().stream().mapToDouble(d -> d).max().orElseThrow() - 0.1)
        .isLessThanOrEqualTo(share.values().stream().mapToDouble(d -> d).sum() + 0.1);
    assertThat(text)
        .contains(
            String.format(
                Locale.ROOT,
                "  spans exported %,d == spans in sampled traces %,d == "
                    + "spans in the output file %,d: OK",
                spansExported,
                spansExported,
                spansExported));
    assertThat(text)
        .containsPattern(
            "traces decided [\\d,]+ == traces received [\\d,]+, 0 undecided; every policy "
                + "judged every trace: OK");
    assertThat(text).contains("waiting for the last sampling decisions (decision_wait 2s)");
    assertThat(text).containsPattern("sampled [\\d,]+ of [\\d,]+ traces \\| exported");
    // every exported item is in the output file, as OTLP JSON lines
    assertThat(Files.readAllLines(dir.resolve("processing-output.jsonl")))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).startsWith("{\"resource"));
    assertThat(dir.resolve("ingestion.yaml")).exists();
    assertThat(dir.resolve("processing.yaml")).exists();
    assertThat(Files.readString(dir.resolve("processing.yaml")))
        .contains("tail_sampling", "decision_wait: 2s");
  }

  private static long number(String s) {
    return Long.parseLong(s.replace(",", ""));
  }
}
