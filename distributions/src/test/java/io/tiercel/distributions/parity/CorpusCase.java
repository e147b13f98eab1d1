package io.tiercel.distributions.parity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One case of the collector corpus: a component config taken from one of the collector's files and
 * what the collector does with it.
 *
 * @param file the corpus file, relative to the corpus root ({@code <repository>/<path in it>})
 * @param section the path of the config inside the file ({@code processors::tail_sampling}, {@code
 *     kafka/logs}); empty when the whole file is the config
 * @param kind {@code receivers}, {@code processors}, {@code exporters} or {@code extensions}
 * @param type the component type Tiercel knows it by
 * @param valid whether the collector accepts the config
 * @param invalidKey the key the collector's error names, or null (valid, or its error names none)
 * @param unknownKey whether the collector rejects {@code invalidKey} as a key it does not know
 * @param gap why Tiercel does not match the collector yet, or null when it does
 * @param excluded why the case is not run (the collector gates it), or null
 * @param featureGates the {@code --feature-gates} value the case runs with (a collector gate its
 *     config needs, such as {@code ottl.functions.enableLambda}); empty for none
 */
record CorpusCase(
    String file,
    List<String> section,
    String kind,
    String type,
    boolean valid,
    @Nullable String invalidKey,
    boolean unknownKey,
    @Nullable String gap,
    @Nullable String excluded,
    String featureGates) {

  static final List<String> KINDS = List.of("receivers", "processors", "exporters", "extensions");

  CorpusCase {
    Objects.requireNonNull(file, "file");
    section = List.copyOf(section);
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException(file + ": unknown kind " + kind);
    }
  }

  /**
   * Reads one entry of {@code expectations.yaml}: {@code case: FILE[#A::B]}, {@code component:
   * KIND/TYPE}, {@code expect: valid | invalid | invalid KEY | unknown KEY}, and optionally {@code
   * gap: REASON} or {@code excluded: REASON}, and {@code feature_gates: IDS}.
   */
  static CorpusCase parse(Map<?, ?> entry) {
    String id = text(entry, "case");
    String component = text(entry, "component");
    String expect = text(entry, "expect");
    int hash = id.indexOf('#');
    String file = hash < 0 ? id : id.substring(0, hash);
    List<String> section = hash < 0 ? List.of() : List.of(id.substring(hash + 1).split("::"));
    int slash = component.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(id + ": component must be KIND/TYPE, got " + component);
    }
    String invalidKey = null;
    boolean unknown = expect.startsWith("unknown ");
    if (expect.startsWith("invalid ") || unknown) {
      invalidKey = expect.substring(expect.indexOf(' ') + 1).trim();
    } else if (!expect.equals("valid") && !expect.equals("invalid")) {
      throw new IllegalArgumentException(
          id + ": expect must be valid, invalid, invalid KEY or unknown KEY");
    }
    String gap = optional(entry, "gap");
    String excluded = optional(entry, "excluded");
    if (gap != null && excluded != null) {
      throw new IllegalArgumentException(id + ": a case is either a gap or excluded, not both");
    }
    return new CorpusCase(
        file,
        section,
        component.substring(0, slash),
        component.substring(slash + 1),
        expect.equals("valid"),
        invalidKey,
        unknown,
        gap,
        excluded,
        Objects.requireNonNullElse(optional(entry, "feature_gates"), ""));
  }

  /** The case's name as written in {@code expectations.yaml}. */
  String name() {
    return section.isEmpty() ? file : file + "#" + String.join("::", section);
  }

  /**
   * The id the component gets in the wrapping config: the section's own id when it names one of
   * this type ({@code kafka/logs}), else the bare type.
   */
  String componentId() {
    if (!section.isEmpty()) {
      String last = section.get(section.size() - 1);
      if (last.equals(type) || last.startsWith(type + "/")) {
        return last;
      }
    }
    return type;
  }

  @Override
  public String toString() {
    return name();
  }

  private static String text(Map<?, ?> entry, String key) {
    Object v = entry.get(key);
    if (v == null) {
      throw new IllegalArgumentException("expectations entry without " + key + ": " + entry);
    }
    return String.valueOf(v);
  }

  private static @Nullable String optional(Map<?, ?> entry, String key) {
    Object v = entry.get(key);
    return v == null ? null : String.valueOf(v);
  }
}
