package io.tiercel.otlp.receiver;

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
 * The receiver's README: each protocol's table, with the shared {@code tls} table under its {@code
 * tls}, lists exactly the YAML keys of that protocol's config record (nested records flattened with
 * dots).
 */
class ReceiverReadmeTablesTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_.]+)` \\|", Pattern.MULTILINE);
  private static final Path README = Path.of("src/main/java/io/tiercel/otlp/receiver/README.md");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "grpc, io.tiercel.otlp.receiver.OtlpReceiverConfig$Grpc",
    "http, io.tiercel.otlp.receiver.OtlpReceiverConfig$Http"
  })
  void protocolTablesListTheConfigRecordsKeys(String protocol, String configClass)
      throws Exception {
    String readme = Files.readString(README);
    Set<String> documented = new TreeSet<>(rows(section(readme, "`protocols." + protocol + "`")));
    for (String tlsKey : rows(section(readme, "`tls` (both protocols)"))) {
      documented.add("tls." + tlsKey);
    }
    Set<String> keys = new TreeSet<>();
    collect(Class.forName(configClass), "", keys);
    assertThat(documented).isEqualTo(keys);
  }

  private static String section(String readme, String title) {
    String heading = "\n## " + title + "\n";
    int start = readme.indexOf(heading);
    assertThat(start).as("section %s", title).isPositive();
    int next = readme.indexOf("\n## ", start + heading.length());
    return readme.substring(start, next < 0 ? readme.length() : next);
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
