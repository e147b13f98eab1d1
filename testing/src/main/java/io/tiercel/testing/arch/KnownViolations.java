package io.tiercel.testing.arch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what a rule finds with the violations a module declares as known (being fixed
 * elsewhere): a rule passes only when the two are exactly equal. A new violation fails it, and so
 * does a known one that is gone, so the list can only shrink by being edited and never goes stale.
 */
public final class KnownViolations {
  private KnownViolations() {}

  /**
   * The failure message for {@code rule}, or empty when its violations are exactly the entries of
   * {@code known} that belong to it (those starting with {@code rule + ": "}).
   */
  public static Optional<String> verdict(String rule, List<Violation> found, Set<String> known) {
    String prefix = rule + ": ";
    Set<String> foundKeys = new TreeSet<>();
    List<String> fresh = new ArrayList<>();
    for (Violation v : found) {
      foundKeys.add(v.key());
      if (!known.contains(v.key())) {
        fresh.add(v.key() + (v.detail().isEmpty() ? "" : "\n      " + v.detail()));
      }
    }
    Set<String> fixed = new TreeSet<>();
    for (String k : known) {
      if (k.startsWith(prefix) && !foundKeys.contains(k)) {
        fixed.add(k);
      }
    }
    if (fresh.isEmpty() && fixed.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder m = new StringBuilder();
    if (!fresh.isEmpty()) {
      m.append(fresh.size()).append(" violation(s) of the shape rule '").append(rule).append("':");
      fresh.forEach(f -> m.append("\n  ").append(f));
    }
    if (!fixed.isEmpty()) {
      if (m.length() > 0) {
        m.append('\n');
      }
      m.append(fixed.size())
          .append(" known violation(s) no longer found: remove them from the module's")
          .append(" known violations being fixed by issue 12:");
      fixed.forEach(f -> m.append("\n  ").append(f));
    }
    return Optional.of(m.toString());
  }

  /** The entries of {@code known} that name none of {@code rules}: a typo would never match. */
  public static Set<String> unknownRules(Set<String> known, Collection<String> rules) {
    Set<String> out = new TreeSet<>();
    for (String k : known) {
      if (rules.stream().noneMatch(r -> k.startsWith(r + ": "))) {
        out.add(k);
      }
    }
    return out;
  }
}
