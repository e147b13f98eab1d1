package io.tiercel.processors;

import io.tiercel.core.config.ConfigBinder;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A component README's configuration table against its config record. */
public final class ReadmeTables {
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_.]+)` \\|", Pattern.MULTILINE);

  private ReadmeTables() {}

  /** The README beside a component's code, e.g. {@code batch}. */
  public static Path readme(String componentPackage) {
    return Path.of("src/main/java/io/tiercel/processors", componentPackage, "README.md");
  }

  /** The keys the README's table rows name (the first column, one key per row). */
  public static Set<String> documentedKeys(Path readme) throws IOException {
    Set<String> out = new TreeSet<>();
    Matcher m = ROW.matcher(Files.readString(readme));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The YAML keys of a config record, nested records flattened with dots. */
  public static Set<String> configKeys(Class<?> record) {
    Set<String> out = new TreeSet<>();
    collect(record, "", out);
    return out;
  }

  private static void collect(Class<?> record, String prefix, Set<String> out) {
    for (RecordComponent c : record.getRecordComponents()) {
      String key = prefix + ConfigBinder.yamlKey(c);
      if (c.getType().isRecord()) {
        collect(c.getType(), key + ".", out);
      } else {
        out.add(key);
      }
    }
  }

  /** The first {@code yaml} block of a README. */
  public static String yamlExample(Path readme) throws IOException {
    String text = Files.readString(readme);
    int start = text.indexOf("```yaml\n") + "```yaml\n".length();
    return text.substring(start, text.indexOf("```", start));
  }
}
