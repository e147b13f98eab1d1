package io.tiercel.distributions.parity;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The collector corpus on disk and the wrapping of one of its component configs into a whole
 * Tiercel config.
 *
 * <p>The corpus files are the collector authors' own ({@code <repository>/<path in it>}). They sit
 * beside {@code expectations.yaml} in {@code testdata/collector/}, or, where this checkout does not
 * carry them, in the {@code collector/} folder of the {@code shared/} directory next to it.
 *
 * <p>A component config is cut out of its file as text, not re-serialized, so that Tiercel reads
 * exactly the characters a user would paste: quoting, {@code 100_000}, flow style and all.
 */
final class CollectorCorpus {
  static final String EXPECTATIONS = "expectations.yaml";
  private static final String SOURCE_ID = "otlp/corpus_in";
  private static final String SINK_ID = "debug/corpus_out";
  private static final int INDENT = 6;

  private CollectorCorpus() {}

  /** The folder holding {@code expectations.yaml}: {@code testdata/collector} of this checkout. */
  static Path expectationsDir() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path dir = p.resolve("testdata").resolve("collector");
      if (Files.isRegularFile(dir.resolve(EXPECTATIONS))) {
        return dir;
      }
    }
    throw new IllegalStateException("no testdata/collector/" + EXPECTATIONS + " above " + here);
  }

  /**
   * The folder holding the corpus files, if this machine has them: {@code testdata/collector}
   * itself, else {@code shared/collector} beside the checkout.
   */
  static Optional<Path> corpusRoot() {
    Path dir = expectationsDir();
    if (Files.isDirectory(dir.resolve("opentelemetry-collector"))) {
      return Optional.of(dir);
    }
    Path checkout = dir.getParent().getParent();
    Path shared = checkout.resolveSibling("shared").resolve("collector");
    return Files.isDirectory(shared.resolve("opentelemetry-collector"))
        ? Optional.of(shared)
        : Optional.empty();
  }

  /** Every case of {@code expectations.yaml}, in file order. */
  static List<CorpusCase> cases() {
    String text = read(expectationsDir().resolve(EXPECTATIONS));
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    if (!(doc instanceof Map<?, ?> top) || !(top.get("cases") instanceof List<?> list)) {
      throw new IllegalStateException(EXPECTATIONS + " must be a map with a cases list");
    }
    List<CorpusCase> out = new ArrayList<>();
    for (Object entry : list) {
      out.add(CorpusCase.parse((Map<?, ?>) entry));
    }
    return out;
  }

  /** Every corpus file (YAML), relative to the root, sorted. */
  static List<String> files(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml") || OttlExamples.isExamples(f))
          .filter(f -> !f.equals(EXPECTATIONS))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A whole Tiercel config holding the case's component under its id, in a traces pipeline: an
   * {@code otlp} receiver feeds a processor or exporter, a {@code debug} exporter takes a
   * receiver's or processor's output, and an extension is listed under {@code service.extensions}.
   */
  static String wrap(CorpusCase c, String fileText) {
    String body =
        OttlExamples.isExamples(c.file())
            ? OttlExamples.body(fileText, c.section())
            : cut(fileText, c.section());
    String id = c.componentId();
    StringBuilder y = new StringBuilder();
    boolean ownReceiver = c.kind().equals("receivers");
    boolean ownExporter = c.kind().equals("exporters");
    y.append("receivers:\n");
    if (ownReceiver) {
      y.append("  ").append(id).append(":").append(body).append('\n');
    } else {
      y.append("  ").append(SOURCE_ID).append(":\n    protocols:\n      grpc:\n");
    }
    if (c.kind().equals("processors")) {
      y.append("processors:\n  ").append(id).append(":").append(body).append('\n');
    }
    y.append("exporters:\n");
    if (ownExporter) {
      y.append("  ").append(id).append(":").append(body).append('\n');
    } else {
      y.append("  ").append(SINK_ID).append(":\n");
    }
    if (c.kind().equals("extensions")) {
      y.append("extensions:\n  ").append(id).append(":").append(body).append('\n');
    }
    y.append("service:\n");
    if (c.kind().equals("extensions")) {
      y.append("  extensions: [").append(id).append("]\n");
    }
    y.append("  pipelines:\n    traces:\n");
    y.append("      receivers: [").append(ownReceiver ? id : SOURCE_ID).append("]\n");
    if (c.kind().equals("processors")) {
      y.append("      processors: [").append(id).append("]\n");
    }
    y.append("      exporters: [").append(ownExporter ? id : SINK_ID).append("]\n");
    return y.toString();
  }

  /**
   * The text of the value at {@code path} in {@code yaml}, ready to follow {@code " id:"}: a block
   * value on the lines after it, indented further; a flow or scalar value on the same line; an
   * empty value (YAML null) as nothing.
   */
  static String cut(String yaml, List<String> path) {
    Node node = new Yaml().compose(new StringReader(yaml));
    if (node == null) {
      return "";
    }
    for (String key : path) {
      Node child = child(node, key);
      if (child == null) {
        throw new IllegalArgumentException("no " + String.join("::", path) + " in the file");
      }
      node = child;
    }
    if (node instanceof ScalarNode s
        && s.getValue().isEmpty()
        && s.getScalarStyle().getChar() == null) {
      return "";
    }
    int start = node.getStartMark().getIndex();
    int end = node.getEndMark().getIndex();
    boolean block =
        (node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.BLOCK)
            || (node instanceof SequenceNode q && q.getFlowStyle() == FlowStyle.BLOCK);
    if (block) {
      int lineStart = start - node.getStartMark().getColumn();
      return "\n" + indent(yaml.substring(lineStart, end).stripTrailing(), true);
    }
    return " " + indent(yaml.substring(start, end), false);
  }

  private static @Nullable Node child(Node node, String key) {
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return t.getValueNode();
        }
      }
    }
    return null;
  }

  private static String indent(String text, boolean firstLine) {
    String pad = " ".repeat(INDENT);
    StringBuilder out = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        out.append('\n');
      }
      if ((i > 0 || firstLine) && !lines[i].isEmpty()) {
        out.append(pad);
      }
      out.append(lines[i]);
    }
    return out.toString();
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
