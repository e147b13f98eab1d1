package io.tiercel.core.component;

/** The kinds of component, in the order of the config's top-level sections. */
public enum Kind {
  RECEIVER("receivers", "receiver"),
  PROCESSOR("processors", "processor"),
  EXPORTER("exporters", "exporter"),
  EXTENSION("extensions", "extension");

  private final String section;
  private final String label;

  Kind(String section, String label) {
    this.section = section;
    this.label = label;
  }

  /** The top-level config section: {@code receivers}, {@code processors}, ... */
  public String section() {
    return section;
  }

  /** The singular, used in metric labels and messages: {@code receiver}, ... */
  public String label() {
    return label;
  }
}
