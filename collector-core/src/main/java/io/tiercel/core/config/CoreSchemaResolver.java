package io.tiercel.core.config;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Resolves plain scalars by the YAML 1.2 core schema, as the collector's YAML library does, instead
 * of SnakeYAML's YAML 1.1 rules: {@code on}, {@code yes}, {@code n} stay strings and {@code 12:30}
 * is a string. Integers are read with Go's rules, as the collector's YAML library does: {@code
 * 0o17}, {@code 0x1F} and {@code 0b101} by their prefix, and a leading zero ({@code 0123}) still
 * means octal, as in YAML 1.1. Go's YAML library also reads {@code 1_000} as the int 1000. For
 * these forms {@link YamlTrees} gives the scalar both readings: the number for numeric fields, the
 * text for string fields.
 */
final class CoreSchemaResolver extends Resolver {
  private static final Pattern BOOL_12 = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
  private static final Pattern INT_12 =
      Pattern.compile("^(?:[-+]?(?:[0-9]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[bB][01]+))$");
  private static final Pattern FLOAT_12 =
      Pattern.compile(
          "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
  private static final Pattern NULL_12 = Pattern.compile("^(?:~|null|Null|NULL)$");

  @Override
  protected void addImplicitResolvers() {
    addImplicitResolver(Tag.BOOL, BOOL_12, "tTfF");
    // INT before FLOAT: "10" matches both and must be an int.
    addImplicitResolver(Tag.INT, INT_12, "-+0123456789");
    addImplicitResolver(Tag.FLOAT, FLOAT_12, "-+0123456789.");
    addImplicitResolver(Tag.MERGE, MERGE, "<");
    addImplicitResolver(Tag.NULL, NULL_12, "~nN\0");
    addImplicitResolver(Tag.NULL, EMPTY, null);
  }
}
