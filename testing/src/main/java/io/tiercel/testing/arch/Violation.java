package io.tiercel.testing.arch;

import java.util.Objects;

/**
 * One breach of a shape rule.
 *
 * @param rule the rule's label, e.g. {@code package loop}
 * @param subject what breaks it: a package cycle, a package, or a file relative to its module; with
 *     the rule it is the {@link #key()} a known-violations list names
 * @param detail the evidence (example classes, line numbers); not part of the key, so it may change
 *     while the violation stays the same
 */
public record Violation(String rule, String subject, String detail) {
  public Violation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(detail, "detail");
  }

  /** {@code rule + ": " + subject}: how a known-violations list names this violation. */
  public String key() {
    return rule + ": " + subject;
  }
}
