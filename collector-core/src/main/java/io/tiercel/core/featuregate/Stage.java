package io.tiercel.core.featuregate;

/** Where a gate is in its life, which fixes its default and whether it may be changed. */
public enum Stage {
  /** New behaviour: off by default, may be enabled. */
  ALPHA("Alpha", false),
  /** Tested behaviour: on by default, may be disabled. */
  BETA("Beta", true),
  /** Permanent behaviour: always on; disabling it is an error, enabling it is allowed. */
  STABLE("Stable", true),
  /** Behaviour being removed: always off; enabling it is an error, disabling it is allowed. */
  DEPRECATED("Deprecated", false);

  private final String label;
  private final boolean enabledByDefault;

  Stage(String label, boolean enabledByDefault) {
    this.label = label;
    this.enabledByDefault = enabledByDefault;
  }

  /** The collector's name of the stage ({@code Alpha}, {@code Beta}, ...). */
  public String label() {
    return label;
  }

  /** Whether a gate of this stage is on when {@code --feature-gates} does not name it. */
  public boolean enabledByDefault() {
    return enabledByDefault;
  }
}
