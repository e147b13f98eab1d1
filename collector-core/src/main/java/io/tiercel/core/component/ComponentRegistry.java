package io.tiercel.core.component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The component factories known to this build, by kind and type (aliases included). */
public final class ComponentRegistry {
  private final Map<Kind, Map<String, Factory<?>>> byKind = new EnumMap<>(Kind.class);
  private final Map<Kind, Map<String, Factory<?>>> primary = new EnumMap<>(Kind.class);

  private ComponentRegistry(Collection<? extends Factory<?>> factories) {
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
          dupes.add(f.kind().label() + " type \"" + n + "\" is provided by both " + prev.getClass().getName()
              + " and " + f.getClass().getName());
        }
      }
    }
    if (!dupes.isEmpty()) {
      throw new IllegalStateException("duplicate component factories: " + String.join("; ", dupes));
    }
  }

  /** Discovers factories with {@link ServiceLoader}; fails naming both classes when two share a type. */
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
