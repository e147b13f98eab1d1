package io.tiercel.core.featuregate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The gates one service runs with: the gates its components declare, each at its stage's default
 * unless {@code --feature-gates} set it. Immutable; {@link #apply} returns a new set. The service
 * hands it to every component it builds (through {@code Settings}), so a component asks {@link
 * #isEnabled} while it builds, and two services (or two tests) never see each other's gates.
 */
public final class FeatureGates {
  private static final FeatureGates DEFAULTS = new FeatureGates(new TreeMap<>(), Map.of());

  private final TreeMap<String, Gate> known;
  private final Map<String, Boolean> set;

  private FeatureGates(TreeMap<String, Gate> known, Map<String, Boolean> set) {
    this.known = known;
    this.set = set;
  }

  /** Every gate at its stage's default, none declared (embedding and tests). */
  public static FeatureGates defaults() {
    return DEFAULTS;
  }

  /**
   * These gates at their stages' defaults. One gate may be declared by several components (the OTTL
   * gates by every processor that runs OTTL) if each declares it alike.
   *
   * @throws IllegalArgumentException when two declarations of one id differ
   */
  public static FeatureGates of(Collection<Gate> declared) {
    TreeMap<String, Gate> known = new TreeMap<>();
    for (Gate g : declared) {
      Gate prev = known.putIfAbsent(g.id(), g);
      if (prev != null && !prev.equals(g)) {
        throw new IllegalArgumentException(
            "feature gate \""
                + g.id()
                + "\" is declared twice, differently: "
                + prev
                + " and "
                + g);
      }
    }
    return new FeatureGates(known, Map.of());
  }

  /**
   * These gates with one {@code --feature-gates} value applied: comma-separated ids, each enabled
   * when bare or prefixed with {@code +} and disabled when prefixed with {@code -}. An empty value
   * changes nothing. Every entry is checked before any applies.
   *
   * @throws IllegalArgumentException listing every entry that names no declared gate, is empty,
   *     disables a stable gate or enables a deprecated one (in the collector's words)
   */
  public FeatureGates apply(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      return this;
    }
    Map<String, Boolean> next = new HashMap<>(set);
    List<String> errors = new ArrayList<>();
    String[] ids = value.split(",", -1);
    for (int i = 0; i < ids.length; i++) {
      String id = ids[i];
      if (id.isEmpty()) {
        errors.add("empty feature gate identifier at index " + i);
        continue;
      }
      boolean enable = id.charAt(0) != '-';
      if (id.charAt(0) == '-' || id.charAt(0) == '+') {
        id = id.substring(1);
      }
      Gate g = known.get(id);
      if (g == null) {
        errors.add(
            "no such feature gate \""
                + id
                + "\". valid gates: ["
                + String.join(" ", known.keySet())
                + "]");
      } else if (g.stage() == Stage.STABLE && !enable) {
        errors.add("feature gate \"" + id + "\" is stable, can not be disabled");
      } else if (g.stage() == Stage.DEPRECATED && enable) {
        errors.add("feature gate \"" + id + "\" is deprecated, can not be enabled");
      } else {
        next.put(id, enable);
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return new FeatureGates(known, Map.copyOf(next));
  }

  /** {@link #apply} for each value in turn (the flag may be given more than once). */
  public FeatureGates apply(List<String> values) {
    FeatureGates g = this;
    for (String v : values) {
      g = g.apply(v);
    }
    return g;
  }

  /**
   * Whether {@code gate} is on: as {@code --feature-gates} set it, else its stage's default. A
   * stable gate is always on and a deprecated one always off.
   */
  public boolean isEnabled(Gate gate) {
    return switch (gate.stage()) {
      case STABLE -> true;
      case DEPRECATED -> false;
      default -> set.getOrDefault(gate.id(), gate.enabledByDefault());
    };
  }

  /** The declared gates, by id. */
  public List<Gate> gates() {
    return List.copyOf(known.values());
  }
}
