package io.tiercel.core.config;

import io.tiercel.core.pdata.Signal;

/**
 * A pipeline id {@code signal[/name]}: {@code traces}, {@code metrics/backend}, {@code profiles}.
 */
public record PipelineId(Signal signal, String name) implements Comparable<PipelineId> {
  public PipelineId {
    name = name == null ? "" : name;
  }

  /** Parses a pipeline id; throws {@link IllegalArgumentException} naming the problem. */
  public static PipelineId parse(String s) {
    int slash = s.indexOf('/');
    String sig = slash < 0 ? s : s.substring(0, slash);
    Signal signal = Signal.fromId(sig.strip());
    if (signal == null) {
      throw new IllegalArgumentException(
          "pipeline type \"" + sig + "\" is not one of traces, metrics, logs, profiles");
    }
    if (slash >= 0 && s.substring(slash + 1).isBlank()) {
      throw new IllegalArgumentException(
          "in \"" + s + "\" id: the part after / should not be empty");
    }
    return new PipelineId(signal, slash < 0 ? "" : s.substring(slash + 1).strip());
  }

  @Override
  public int compareTo(PipelineId o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return name.isEmpty() ? signal.id() : signal.id() + "/" + name;
  }
}
