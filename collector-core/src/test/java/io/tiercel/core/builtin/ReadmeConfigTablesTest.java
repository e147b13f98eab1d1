package io.tiercel.core.builtin;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Each component README's configuration table lists exactly the YAML keys its config record has.
 */
class ReadmeConfigTablesTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_.]+)` \\|", Pattern.MULTILINE);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "builtin/generator, io.tiercel.core.builtin.generator.GeneratorReceiverConfig",
    "builtin/debug, io.tiercel.core.builtin.debug.DebugExporterConfig",
    "builtin/file, io.tiercel.core.builtin.file.FileExporterConfig",
    "extension/health, io.tiercel.core.extension.health.HealthCheckConfig",
    "extension/storage, io.tiercel.core.extension.storage.FileStorageConfig",
    "extension/zpages, io.tiercel.core.extension.zpages.ZPagesConfig"
  })
  void readmeTableMatchesTheConfigRecord(String folder, String configClass) throws Exception {
    String readme = Files.readString(Path.of("src/main/java/io/tiercel/core", folder, "README.md"));
    Set<String> documented = new TreeSet<>();
    Matcher m = ROW.matcher(readme);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> keys = new TreeSet<>();
    collect(Class.forName(configClass), "", keys);
    assertThat(documented).isEqualTo(keys);
  }

  /**
   * Leaf keys of a config record: snake_case component names, nested records flattened with dots.
   */
  private static void collect(Class<?> record, String prefix, Set<String> out) {
    for (RecordComponent c : record.getRecordComponents()) {
      String key = prefix + snake(c.getName());
      if (c.getType().isRecord()) {
        collect(c.getType(), key + ".", out);
      } else {
        out.add(key);
      }
    }
  }

  private static String snake(String camel) {
    return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }
}
