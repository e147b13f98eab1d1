package io.tiercel.processors.ottl.context;

import io.tiercel.core.pdata.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OTTL contexts: which item a statement runs on, and what it can reach through path prefixes.
 */
public enum OttlContext {
  RESOURCE("resource", 0),
  SCOPE("scope", 1),
  SPAN("span", 2),
  SPANEVENT("spanevent", 3),
  METRIC("metric", 2),
  DATAPOINT("datapoint", 3),
  /**
   * An exemplar of a data point; only the transform processor walks it (see {@link #withExemplar}).
   */
  EXEMPLAR("exemplar", 4),
  LOG("log", 2);

  private final String id;
  private final int depth;

  OttlContext(String id, int depth) {
    this.id = id;
    this.depth = depth;
  }

  /** The name used in configs and path prefixes. */
  public String id() {
    return id;
  }

  /**
   * 0 for resource, 1 for scope, 2 for span/metric/log, 3 for span event/data point, 4 for
   * exemplar.
   */
  public int depth() {
    return depth;
  }

  /** Parses a context name ({@code instrumentation_scope} is {@code scope}); null when unknown. */
  public static OttlContext parse(String s) {
    String v = s.toLowerCase(Locale.ROOT);
    if (v.equals("instrumentation_scope")) {
      return SCOPE;
    }
    if (v.equals("log_record")) {
      return LOG;
    }
    for (OttlContext c : values()) {
      if (c.id.equals(v)) {
        return c;
      }
    }
    return null;
  }

  /**
   * The contexts valid for a signal in every OTTL component, from the top down. The exemplar
   * context is not among them: the collector wires it into the transform processor only.
   */
  public static List<OttlContext> of(Signal signal) {
    return switch (signal) {
      case TRACES -> List.of(RESOURCE, SCOPE, SPAN, SPANEVENT);
      case METRICS -> List.of(RESOURCE, SCOPE, METRIC, DATAPOINT);
      case LOGS -> List.of(RESOURCE, SCOPE, LOG);
      // profiles travel as bytes: no processor here reads them, so OTTL has no profile context
      case PROFILES -> List.of();
    };
  }

  /** The contexts of {@code signal} plus, for metrics, the exemplar context under data points. */
  public static List<OttlContext> withExemplar(Signal signal) {
    List<OttlContext> out = new ArrayList<>(of(signal));
    if (signal == Signal.METRICS) {
      out.add(EXEMPLAR);
    }
    return List.copyOf(out);
  }

  /**
   * True when statements in this context can read paths of {@code other} (itself or an ancestor).
   */
  public boolean reaches(OttlContext other) {
    return lineage().contains(other);
  }

  /** This context and its ancestors, from the top down. */
  public List<OttlContext> lineage() {
    List<OttlContext> out = new ArrayList<>();
    out.add(RESOURCE);
    if (depth >= 1) {
      out.add(SCOPE);
    }
    switch (this) {
      case SPAN -> out.add(SPAN);
      case SPANEVENT -> {
        out.add(SPAN);
        out.add(SPANEVENT);
      }
      case METRIC -> out.add(METRIC);
      case DATAPOINT -> {
        out.add(METRIC);
        out.add(DATAPOINT);
      }
      case EXEMPLAR -> {
        out.add(METRIC);
        out.add(DATAPOINT);
        out.add(EXEMPLAR);
      }
      case LOG -> out.add(LOG);
      default -> {}
    }
    return out;
  }

  @Override
  public String toString() {
    return id;
  }
}
