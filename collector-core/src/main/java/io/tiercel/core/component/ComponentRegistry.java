package io.tiercel.core.component;

import io.tiercel.core.config.ConfigError;
import io.tiercel.core.config.ConfigException;
import io.tiercel.core.config.DistributionManifest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The component factories known to this build, by kind and type (aliases included). A registry may
 * be {@linkplain #restrictTo restricted} to a distribution's manifest: it then offers only the
 * listed types and remembers the others as {@linkplain #withheld withheld}, so a config naming one
 * can be told so.
 */
public final class ComponentRegistry {
  private final Map<Kind, Map<String, Factory<?>>> byKind = new EnumMap<>(Kind.class);
  private final Map<Kind, Map<String, Factory<?>>> primary = new EnumMap<>(Kind.class);
  private final String distribution; // null: every factory found
  private final Map<Kind, Set<String>> withheld = new EnumMap<>(Kind.class);

  private ComponentRegistry(Collection<? extends Factory<?>> factories) {
    this(factories, null, Map.of());
  }

  private ComponentRegistry(
      Collection<? extends Factory<?>> factories,
      String distribution,
      Map<Kind, Set<String>> withheldNames) {
    this.distribution = distribution;
    for (Kind k : Kind.values()) {
      withheld.put(k, new TreeSet<>(withheldNames.getOrDefault(k, Set.of())));
    }
    for (Kind k : Kind.values()) {
      byKind.put(k, new TreeMap<>());
      primary.put(k, new TreeMap<>());
    }
    List<String> dupes = new ArrayList<>();
    for (Factory<?> f : factories) {
      primary.get(f.kind()).put(f.type(), f);
      List<String> names = new ArrayList<>();
      names.add(f.type());
      names.addAll(f.aliases());
      for (String n : names) {
        Factory<?> prev = byKind.get(f.kind()).putIfAbsent(n, f);
        if (prev != null && prev != f) {
          dupes.add(
              f.kind().label()
                  + " type \""
                  + n
                  + "\" is provided by both "
                  + prev.getClass().getName()
                  + " and "
                  + f.getClass().getName());
        }
      }
    }
    if (!dupes.isEmpty()) {
      throw new IllegalStateException("duplicate component factories: " + String.join("; ", dupes));
    }
  }

  /**
   * Discovers factories with {@link ServiceLoader}; fails naming both classes when two share a
   * type.
   */
  public static ComponentRegistry load(ClassLoader loader) {
    List<Factory<?>> all = new ArrayList<>();
    for (Factory<?> f : ServiceLoader.load(Factory.class, loader)) {
      all.add(f);
    }
    return new ComponentRegistry(all);
  }

  /** Discovers factories on this class's class loader. */
  public static ComponentRegistry load() {
    return load(ComponentRegistry.class.getClassLoader());
  }

  /** A registry of exactly these factories (tests, embedding). */
  public static ComponentRegistry of(Collection<? extends Factory<?>> factories) {
    return new ComponentRegistry(factories);
  }

  /**
   * This registry restricted to the types {@code manifest} lists (aliases follow their type); every
   * other factory is withheld. Fails when the manifest lists a type this build lacks, at the
   * entry's path ({@code exporters[1]: ...}): a distribution whose jars miss a component it
   * promises must not start.
   *
   * @throws ConfigException naming every listed type that no factory provides
   */
  public ComponentRegistry restrictTo(DistributionManifest manifest) throws ConfigException {
    Objects.requireNonNull(manifest, "manifest");
    List<Factory<?>> kept = new ArrayList<>();
    Map<Kind, Set<String>> hidden = new EnumMap<>(Kind.class);
    List<ConfigError> errors = new ArrayList<>();
    for (Kind k : Kind.values()) {
      List<String> listed = manifest.types(k);
      for (int i = 0; i < listed.size(); i++) {
        Factory<?> f = primary.get(k).get(listed.get(i));
        if (f == null) {
          errors.add(
              new ConfigError(
                  k.section() + "[" + i + "]",
                  "no "
                      + k.label()
                      + " type \""
                      + listed.get(i)
                      + "\" on the classpath; "
                      + (primary.get(k).isEmpty()
                          ? "there are none"
                          : "the "
                              + k.label()
                              + " types found are: "
                              + String.join(", ", primary.get(k).keySet()))));
        }
      }
      Set<String> names = new TreeSet<>(withheld.get(k));
      for (Factory<?> f : primary.get(k).values()) {
        if (listed.contains(f.type())) {
          kept.add(f);
        } else {
          names.add(f.type());
          names.addAll(f.aliases());
        }
      }
      hidden.put(k, names);
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new ComponentRegistry(kept, manifest.dist().name(), hidden);
  }

  /** The distribution this registry was restricted to ({@link #restrictTo}), if any. */
  public Optional<String> distribution() {
    return Optional.ofNullable(distribution);
  }

  /**
   * True when {@code type} is a type (or alias) of this build that the distribution leaves out: a
   * config naming it is wrong for this distribution rather than misspelt.
   */
  public boolean withheld(Kind kind, String type) {
    return withheld.get(kind).contains(type);
  }

  /** The factory for {@code type} (or an alias), or null. */
  public Factory<?> find(Kind kind, String type) {
    return byKind.get(kind).get(type);
  }

  /** Factories of a kind by their primary type, sorted. */
  public Map<String, Factory<?>> factories(Kind kind) {
    return primary.get(kind);
  }

  /** Every accepted type name of a kind (aliases included), sorted. */
  public List<String> typeNames(Kind kind) {
    return List.copyOf(byKind.get(kind).keySet());
  }
}
