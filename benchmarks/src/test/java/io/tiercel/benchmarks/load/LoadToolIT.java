package io.tiercel.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool in a very short mode (a broker, the ingestion tier and the processing tier each in
 * their own JVM; a few seconds at a tiny rate), so that it does not rot: it exits 0, and its
 * markdown report parses with every count reconciled (spans acknowledged == spans read back from
 * Kafka; spans in the topic == spans the processing tier finished; spans it exported == spans at
 * the sink).
 */
@Tag("integration")
class LoadToolIT {
  @Test
  void shortRunOfBothTiersReconciles(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("report.md");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code =
        LoadTool.run(
            new PrintStream(buf, true, StandardCharsets.UTF_8),
            "--tier",
            "both",
            "--processing-configs",
            "plain",
            "--rate",
            "2000",
            "--duration",
            "2s",
            "--warmup",
            "1s",
            "--spans-per-request",
            "100",
            "--partitions",
            "3",
            "--tier-jvm-options=-Xmx256m",
            "--work-dir",
            dir.toString(),
            "--report",
            report.toString());
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed).isZero();

    List<String> header = cells(Report.HEADER);
    List<List<String>> rows =
        Files.readAllLines(report).stream()
            .filter(l -> l.startsWith("| 1 |"))
            .map(LoadToolIT::cells)
            .toList();
    assertThat(rows)
        .as(printed)
        .extracting(r -> r.get(1))
        .containsExactly("ingestion", "processing");
    for (List<String> row : rows) {
      assertThat(row).hasSameSizeAs(header);
      long spans = number(row.get(header.indexOf("spans")));
      long in = number(row.get(header.indexOf("in")));
      long out = number(row.get(header.indexOf("out")));
      String[] toSink = row.get(header.indexOf("exported -> sink")).split(" -> ");
      // a 1 s warm-up and 2 s measured at 2,000 spans/s: at most 6,000 spans (fewer if the machine
      // lags)
      assertThat(spans).as(printed).isPositive().isLessThan(in);
      assertThat(in).as(printed).isLessThanOrEqualTo(6_000);
      assertThat(out).as("nothing lost, no duplicates: " + printed).isEqualTo(in);
      assertThat(number(toSink[1])).as(printed).isEqualTo(number(toSink[0]));
      assertThat(row.get(header.indexOf("reconciled"))).isEqualTo("yes");
      assertThat(Double.parseDouble(row.get(header.indexOf("tier CPU-s / M spans")))).isPositive();
      assertThat(number(row.get(header.indexOf("tier peak RSS MiB")))).isPositive();
      assertThat(row.get(header.indexOf("latency p50 ms")))
          .as("measured in a fixed-rate run")
          .isNotEqualTo("-");
      assertThat(number(row.get(header.indexOf("baseline spans/s")))).isPositive();
    }
    // the processing tier's filter drops the generator's /health spans on purpose: exported < in
    List<String> processing = rows.get(1);
    assertThat(number(processing.get(header.indexOf("exported -> sink")).split(" -> ")[0]))
        .isPositive()
        .isLessThan(number(processing.get(header.indexOf("in"))));
  }

  private static List<String> cells(String row) {
    String[] c = row.split("\\|");
    return Arrays.stream(c, 1, c.length).map(String::strip).toList();
  }

  private static long number(String cell) {
    return Long.parseLong(cell.replace(",", "").replaceAll("\\..*", ""));
  }
}
