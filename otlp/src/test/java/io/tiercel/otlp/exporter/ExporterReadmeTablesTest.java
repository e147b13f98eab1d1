package io.tiercel.otlp.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercel.core.config.ConfigBinder;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exporters' README: the common table and each type's own section together list exactly the
 * YAML keys of that type's config record (nested records flattened with dots).
 */
class ExporterReadmeTablesTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_.]+)` \\|", Pattern.MULTILINE);
  private static final Path README = Path.of("src/main/java/io/tiercel/otlp/exporter/README.md");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "otlp_grpc, io.tiercel.otlp.exporter.OtlpGrpcExporterConfig",
    "otlp_http, io.tiercel.otlp.exporter.OtlpHttpExporterConfig"
  })
  void commonAndOwnTablesListTheConfigRecordsKeys(String type, String configClass)
      throws Exception {
    String readme = Files.readString(README);
    int firstSection = readme.indexOf("\n## ");
    String heading = "\n## `" + type + "` exporter\n";
    int own = readme.indexOf(heading);
    assertThat(own).as("section %s", heading.strip()).isPositive();
    int next = readme.indexOf("\n## ", own + heading.length());
    Set<String> documented = new TreeSet<>(rows(readme.substring(0, firstSection)));
    documented.addAll(rows(readme.substring(own, next < 0 ? readme.length() : next)));

    Set<String> keys = new TreeSet<>();
    collect(Class.forName(configClass), "", keys);
    assertThat(documented).isEqualTo(keys);
  }

  private static Set<String> rows(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = ROW.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static void collect(Class<?> record, String prefix, Set<String> out) {
    for (RecordComponent c : record.getRecordComponents()) {
      String key = prefix + ConfigBinder.yamlKey(c);
      if (c.getType().isRecord() && c.getType() != io.tiercel.core.component.ComponentId.class) {
        collect(c.getType(), key + ".", out);
      } else {
        out.add(key);
      }
    }
  }
}
