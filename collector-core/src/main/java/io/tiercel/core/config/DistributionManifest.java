package io.tiercel.core.config;

import io.tiercel.core.component.ComponentRegistry;
import io.tiercel.core.component.Factory;
import io.tiercel.core.component.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which components a distribution offers, as the collector builder's manifest lists them: a {@code
 * dist} section (name, description) and the component types of each kind. A tier archive ships one
 * as {@code lib/components.yaml}; {@link #restrict} then hides every other factory on the
 * classpath.
 *
 * <pre>
 * dist: {name: tiercel-ingestion, description: Tiercel ingestion tier (OTLP in, Kafka out)}
 * receivers: [otlp]
 * processors: [memory_limiter, batch, filter, transform]
 * exporters: [kafka, debug]
 * extensions: [health_check, file_storage]
 * </pre>
 */
public record DistributionManifest(
    Dist dist,
    List<String> receivers,
    List<String> processors,
    List<String> exporters,
    List<String> extensions)
    implements Validatable {

  /** The distribution's command name (e.g. {@code tiercel-ingestion}) and one-line description. */
  public record Dist(String name, String description) implements Validatable {
    @Override
    public void validate() {
      if (name == null || name.isBlank()) {
        throw new InvalidValueException("name", "must be set");
      }
      if (description == null || description.isBlank()) {
        throw new InvalidValueException("description", "must be set");
      }
    }
  }

  public DistributionManifest {
    receivers = receivers == null ? List.of() : List.copyOf(receivers);
    processors = processors == null ? List.of() : List.copyOf(processors);
    exporters = exporters == null ? List.of() : List.copyOf(exporters);
    extensions = extensions == null ? List.of() : List.copyOf(extensions);
  }

  @Override
  public void validate() {
    if (dist == null) {
      throw new InvalidValueException("dist", "must be set (name and description)");
    }
    for (Kind k : Kind.values()) {
      Set<String> seen = new HashSet<>();
      List<String> types = types(k);
      for (int i = 0; i < types.size(); i++) {
        if (!seen.add(types.get(i))) {
          throw new InvalidValueException(
              k.section() + "[" + i + "]", "\"" + types.get(i) + "\" is listed twice");
        }
      }
    }
  }

  /** The component types of {@code kind} this distribution offers, in the manifest's order. */
  public List<String> types(Kind kind) {
    return switch (Objects.requireNonNull(kind, "kind")) {
      case RECEIVER -> receivers;
      case PROCESSOR -> processors;
      case EXPORTER -> exporters;
      case EXTENSION -> extensions;
    };
  }

  /**
   * {@code registry} restricted to the types this manifest lists (aliases follow their type); every
   * other factory is withheld. Fails when the manifest lists a type the registry lacks, at the
   * entry's path ({@code exporters[1]: ...}): a distribution whose jars miss a component it
   * promises must not start.
   *
   * @throws ConfigException naming every listed type that no factory provides
   */
  public ComponentRegistry restrict(ComponentRegistry registry) throws ConfigException {
    Objects.requireNonNull(registry, "registry");
    Map<Kind, List<String>> offered = new EnumMap<>(Kind.class);
    List<ConfigError> errors = new ArrayList<>();
    for (Kind k : Kind.values()) {
      Map<String, Factory<?>> found = registry.factories(k);
      List<String> listed = types(k);
      for (int i = 0; i < listed.size(); i++) {
        if (!found.containsKey(listed.get(i))) {
          errors.add(
              new ConfigError(
                  k.section() + "[" + i + "]",
                  "no "
                      + k.label()
                      + " type \""
                      + listed.get(i)
                      + "\" on the classpath; "
                      + (found.isEmpty()
                          ? "there are none"
                          : "the "
                              + k.label()
                              + " types found are: "
                              + String.join(", ", found.keySet()))));
        }
      }
      offered.put(k, listed);
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return registry.restrictTo(dist.name(), offered);
  }

  /**
   * Reads a manifest file. Unknown keys, wrong shapes, a missing {@code dist} and repeated types
   * are errors at their dotted path (the caller names the file).
   *
   * @throws ConfigException with every problem found
   */
  public static DistributionManifest read(Path file) throws ConfigException {
    String label = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw ConfigException.of("", label + ": no such file");
    } catch (IOException | RuntimeException e) {
      throw ConfigException.of("", label + ": cannot read the file: " + e.getMessage());
    }
    YamlTrees.Parsed parsed = YamlTrees.parse(text, label);
    List<ConfigError> errors = new ArrayList<>(parsed.errors());
    if (errors.isEmpty() && parsed.tree() == null) {
      errors.add(new ConfigError("", label + ": the manifest is empty"));
    }
    DistributionManifest m =
        errors.isEmpty()
            ? ConfigBinder.bind(DistributionManifest.class, null, parsed.tree(), "", errors)
            : null;
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return m;
  }
}
