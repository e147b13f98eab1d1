package io.tiercel.core.config;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * YAML text to plain trees and back. Parsing composes SnakeYAML nodes (so every key has its line)
 * and builds the tree itself: maps are insertion-ordered {@code LinkedHashMap<String, Object>},
 * sequences {@code ArrayList}, scalars String, Integer, Long, BigInteger, Double, Boolean or null
 * by the YAML 1.2 core schema. No Java type is ever instantiated from a tag; duplicate keys are
 * errors naming both lines.
 */
final class YamlTrees {
  /**
   * A plain scalar that the YAML 1.2 core schema leaves a string but Go's YAML library reads as an
   * int: decimal digits with underscores between or after them ({@code 100_000}, {@code 1_000_}),
   * optionally signed. Go drops every underscore before parsing.
   */
  private static final Pattern GO_UNDERSCORE_INT = Pattern.compile("[-+]?[0-9][0-9_]*_[0-9_]*");

  /** An int written in another base than ten: a leading zero or a 0o/0x/0b prefix. */
  private static final Pattern GO_BASE_INT = Pattern.compile("[-+]?0[0-9oOxXbB][0-9a-fA-F]*");

  private static final int MAX_DEPTH = 200;

  private YamlTrees() {}

  /** Outcome of parsing one document: the tree (null when empty or failed) and the errors. */
  record Parsed(Object tree, boolean empty, List<ConfigError> errors) {}

  private static Yaml yaml() {
    LoaderOptions lo = new LoaderOptions();
    lo.setAllowDuplicateKeys(false);
    lo.setAllowRecursiveKeys(false);
    lo.setMaxAliasesForCollections(50);
    DumperOptions dop = new DumperOptions();
    return new Yaml(
        new SafeConstructor(lo), new Representer(dop), dop, lo, new CoreSchemaResolver());
  }

  /**
   * Parses one YAML document. Errors are reported as {@code <label>: line N: <problem>} with an
   * empty path.
   */
  static Parsed parse(String text, String label) {
    List<ConfigError> errors = new ArrayList<>();
    Node root;
    try {
      root = yaml().compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      errors.add(
          new ConfigError(
              "",
              label
                  + ": "
                  + (m != null ? "line " + (m.getLine() + 1) + ": " : "")
                  + clean(problem)));
      return new Parsed(null, false, errors);
    } catch (YAMLException e) {
      errors.add(new ConfigError("", label + ": " + clean(e.getMessage())));
      return new Parsed(null, false, errors);
    }
    if (root == null) {
      return new Parsed(null, true, errors);
    }
    Object tree = build(root, label, errors, 0);
    return new Parsed(errors.isEmpty() ? tree : null, false, errors);
  }

  private static String clean(String s) {
    return s == null ? "invalid YAML" : s.strip().replace('\n', ' ');
  }

  private static int line(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }

  private static Object build(Node node, String label, List<ConfigError> errors, int depth) {
    if (depth > MAX_DEPTH) {
      errors.add(
          new ConfigError(
              "", label + ": line " + line(node) + ": nested too deeply (recursive alias?)"));
      return null;
    }
    if (node instanceof MappingNode && !node.getTag().equals(Tag.MAP)
        || node instanceof SequenceNode && !node.getTag().equals(Tag.SEQ)) {
      errors.add(
          new ConfigError(
              "",
              label + ": line " + line(node) + ": unsupported tag " + node.getTag().getValue()));
      return null;
    }
    if (node instanceof MappingNode map) {
      Map<String, Object> out = new LinkedHashMap<>();
      Map<String, Integer> lines = new HashMap<>();
      List<Map<?, ?>> merges = new ArrayList<>();
      for (NodeTuple t : map.getValue()) {
        Node k = t.getKeyNode();
        if (k.getTag().equals(Tag.MERGE)) {
          Object merged = build(t.getValueNode(), label, errors, depth + 1);
          if (merged instanceof Map<?, ?> m) {
            merges.add(m);
          } else if (merged instanceof List<?> l) {
            for (Object o : l) {
              if (o instanceof Map<?, ?> m) {
                merges.add(m);
              }
            }
          }
          continue;
        }
        if (!(k instanceof ScalarNode ks)) {
          errors.add(
              new ConfigError(
                  "", label + ": line " + line(k) + ": a mapping key must be a scalar"));
          continue;
        }
        String key = ks.getValue();
        Integer first = lines.putIfAbsent(key, line(k));
        if (first != null) {
          errors.add(
              new ConfigError(
                  "",
                  label
                      + ": line "
                      + line(k)
                      + ": key \""
                      + key
                      + "\" is already defined at line "
                      + first));
          continue;
        }
        out.put(key, build(t.getValueNode(), label, errors, depth + 1));
      }
      for (Map<?, ?> m : merges) {
        m.forEach((k, v) -> out.putIfAbsent(String.valueOf(k), v));
      }
      return out;
    }
    if (node instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>(seq.getValue().size());
      for (Node n : seq.getValue()) {
        out.add(build(n, label, errors, depth + 1));
      }
      return out;
    }
    ScalarNode s = (ScalarNode) node;
    if (s.isPlain()
        && s.getTag().equals(Tag.STR)
        && GO_UNDERSCORE_INT.matcher(s.getValue()).matches()) {
      // Go's YAML reads 100_000 as the int 100000; a string field keeps the text as written.
      return new ExpandedValue(parseInt(s.getValue().replace("_", "")), s.getValue());
    }
    if (s.isPlain() && s.getTag().equals(Tag.INT) && GO_BASE_INT.matcher(s.getValue()).matches()) {
      // 0123 (octal), 0o17, 0x1F, 0b101: Go's number for numeric fields, the text for strings.
      return new ExpandedValue(parseInt(s.getValue()), s.getValue());
    }
    try {
      return scalar(s.getTag(), s.getValue());
    } catch (IllegalArgumentException e) {
      errors.add(new ConfigError("", label + ": line " + line(s) + ": " + e.getMessage()));
      return null;
    }
  }

  private static Object scalar(Tag tag, String v) {
    if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP) || tag.equals(Tag.BINARY)) {
      return v;
    }
    if (tag.equals(Tag.NULL)) {
      return null;
    }
    if (tag.equals(Tag.BOOL)) {
      String l = v.toLowerCase(Locale.ROOT);
      if (l.equals("true") || l.equals("false")) {
        return Boolean.valueOf(l);
      }
      throw new IllegalArgumentException("\"" + v + "\" is not a boolean");
    }
    if (tag.equals(Tag.INT)) {
      return parseInt(v);
    }
    if (tag.equals(Tag.FLOAT)) {
      return parseFloat(v);
    }
    throw new IllegalArgumentException("unsupported tag " + tag.getValue());
  }

  /**
   * An int as Go reads it ({@code strconv.ParseInt} with base 0): a 0x, 0o or 0b prefix in either
   * case, or a leading zero for octal. A leading-zero number with an 8 or 9 in it is not octal;
   * Go's YAML then reads it as the decimal float ({@code 089} is 89.0).
   */
  private static Object parseInt(String v) {
    try {
      String s = v;
      boolean neg = false;
      if (s.startsWith("-") || s.startsWith("+")) {
        neg = s.startsWith("-");
        s = s.substring(1);
      }
      String lower = s.toLowerCase(Locale.ROOT);
      BigInteger b;
      if (lower.startsWith("0x")) {
        b = new BigInteger(s.substring(2), 16);
      } else if (lower.startsWith("0o")) {
        b = new BigInteger(s.substring(2), 8);
      } else if (lower.startsWith("0b")) {
        b = new BigInteger(s.substring(2), 2);
      } else if (s.length() > 1 && s.startsWith("0")) {
        if (s.chars().anyMatch(c -> c == '8' || c == '9')) {
          return Double.valueOf(v);
        }
        b = new BigInteger(s.substring(1), 8);
      } else {
        b = new BigInteger(s);
      }
      return narrow(neg ? b.negate() : b);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + v + "\" is not an int", e);
    }
  }

  static Object narrow(BigInteger b) {
    if (b.bitLength() < 32) {
      return b.intValue();
    }
    if (b.bitLength() < 64) {
      return b.longValue();
    }
    return b;
  }

  private static Double parseFloat(String v) {
    String l = v.toLowerCase(Locale.ROOT);
    switch (l) {
      case ".inf", "+.inf":
        return Double.POSITIVE_INFINITY;
      case "-.inf":
        return Double.NEGATIVE_INFINITY;
      case ".nan":
        return Double.NaN;
      default:
        try {
          return Double.valueOf(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("\"" + v + "\" is not a number", e);
        }
    }
  }

  /**
   * Renders a plain tree (maps, lists, scalars) as block YAML that {@link #parse} reads back to the
   * same tree.
   */
  static String dump(Object tree) {
    DumperOptions dop = new DumperOptions();
    dop.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dop.setIndent(2);
    dop.setIndicatorIndent(0);
    dop.setWidth(200);
    dop.setSplitLines(false);
    LoaderOptions lo = new LoaderOptions();
    Yaml y =
        new Yaml(new SafeConstructor(lo), new Representer(dop), dop, lo, new CoreSchemaResolver());
    return y.dump(tree);
  }
}
