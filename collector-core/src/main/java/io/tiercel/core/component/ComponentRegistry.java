package io.tiercel.core.component;

import io.tiercel.core.featuregate.FeatureGates;
import io.tiercel.core.featuregate.Gate;
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
import org.jspecify.annotations.Nullable;

/**
 * The component factories known to this build, by kind and type (aliases included). A registry may
 * be {@linkplain #restrictTo restricted} to a distribution's types: it then offers only the listed
 * types and remembers the others as {@linkplain #withheld withheld}, so a config naming one can be
 * told so.
 */
public final class ComponentRegistry {
  private final Map<Kind, Map<String, Factory<?>>> byKind = new EnumMap<>(Kind.class);
  private final Map<Kind, Map<String, Factory<?>>> primary = new EnumMap<>(Kind.class);
  private final @Nullable String distribution; // null: every factory found
  private final Map<Kind, Set<String>> withheld = new EnumMap<>(Kind.class);
  private final Map<Kind, Map<String, Factory<?>>> everything; // withheld factories too

  private ComponentRegistry(
      Collection<? extends Factory<?>> factories,
      @Nullable String distribution,
      Map<Kind, Set<String>> withheldNames,
      @Nullable Map<Kind, Map<String, Factory<?>>> everything) {
    this.distribution = distribution;
    this.everything = everything != null ? everything : byKind;
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
    return new ComponentRegistry(all, null, Map.of(), null);
  }

  /** Discovers factories on this class's class loader. */
  public static ComponentRegistry load() {
    return load(ComponentRegistry.class.getClassLoader());
  }

  /** A registry of exactly these factories (tests, embedding). */
  public static ComponentRegistry of(Collection<? extends Factory<?>> factories) {
    return new ComponentRegistry(factories, null, Map.of(), null);
  }

  /**
   * This registry restricted to the types {@code types} lists per kind (aliases follow their type);
   * every other factory is withheld. The config layer's {@code DistributionManifest} calls it after
   * checking, at each entry's path, that every listed type has a factory here.
   *
   * @param distribution the distribution's name, for messages about withheld types
   * @param types the primary types offered, by kind (a missing kind offers none)
   * @throws IllegalArgumentException naming a listed type no factory of this registry provides
   */
  public ComponentRegistry restrictTo(String distribution, Map<Kind, List<String>> types) {
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(types, "types");
    List<Factory<?>> kept = new ArrayList<>();
    Map<Kind, Set<String>> hidden = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      List<String> listed = types.getOrDefault(k, List.of());
      for (String type : listed) {
        if (!primary.get(k).containsKey(type)) {
          throw new IllegalArgumentException("no " + k.label() + " type \"" + type + "\" here");
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
    return new ComponentRegistry(kept, distribution, hidden, everything);
  }

  /**
   * The feature gates the factories of this registry declare, at their defaults; {@code
   * --feature-gates} is applied to them.
   *
   * @throws IllegalArgumentException when two factories declare one gate id differently
   */
  public FeatureGates featureGates() {
    List<Gate> gates = new ArrayList<>();
    for (Kind k : Kind.values()) {
      for (Factory<?> f : primary.get(k).values()) {
        gates.addAll(f.featureGates());
      }
    }
    return FeatureGates.of(gates);
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
  public @Nullable Factory<?> find(Kind kind, String type) {
    return byKind.get(kind).get(type);
  }

  /**
   * The factory for {@code type} (or an alias) among every factory of this build, withheld ones
   * included, or null: for what the service itself runs, such as the OTLP exporter of a periodic
   * telemetry reader, which a distribution need not offer as a pipeline component.
   */
  public @Nullable Factory<?> findAnywhere(Kind kind, String type) {
    return everything.get(kind).get(type);
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
