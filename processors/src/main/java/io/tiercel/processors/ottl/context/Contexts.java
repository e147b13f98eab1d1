package io.tiercel.processors.ottl.context;

import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.Keys;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a path to the compiled accessor of its context's field (after the collector's OTTL
 * contexts docs); each context's fields live in its own {@code *Paths} class.
 */
public final class Contexts {
  private Contexts() {}

  /**
   * Resolves {@code field} (dotted, after the context prefix) in {@code target}.
   *
   * @param keys the compiled {@code [key]} indexes that follow the path
   * @param col the column of the path, for errors
   * @param written the path as written, for errors
   * @throws CompileError when the context has no such field or the field cannot be indexed
   */
  public static Accessor resolve(
      OttlContext target, String field, Getter[] keys, int col, String written) {
    if (field.equals("cache")) {
      return Keys.keyed(PathSupport.acc(CurrentItem::cache, Contexts::setCache), keys);
    }
    Accessor a =
        switch (target) {
          case RESOURCE -> ResourcePaths.resolve(field, keys);
          case SCOPE -> ScopePaths.resolve(field, keys);
          case SPAN -> SpanPaths.resolve(field, keys);
          case SPANEVENT -> SpanEventPaths.resolve(field, keys);
          case METRIC -> MetricPaths.resolve(field, keys);
          case DATAPOINT -> {
            Accessor d = DataPointPaths.resolve(field, keys);
            Accessor e = d != null ? d : ExpHistogramPaths.resolve(field);
            yield e != null ? e : DataPointParts.resolve(field);
          }
          case EXEMPLAR -> ExemplarPaths.resolve(field, keys);
          case LOG -> LogPaths.resolve(field, keys);
        };
    if (a == null) {
      throw new CompileError(
          col,
          "\""
              + written
              + "\" is not a path of the "
              + target
              + " context: expected one of "
              + String.join(", ", fields(target)));
    }
    boolean keyable =
        field.equals("attributes")
            || field.equals("filtered_attributes")
            || field.equals("body")
            || field.equals("trace_state");
    if (keys.length > 0 && !keyable) {
      throw new CompileError(
          col,
          "path \""
              + written
              + "\" does not support keys: only attributes, body, cache"
              + " and trace_state can be indexed");
    }
    return a;
  }

  private static final List<String> DATAPOINT_FIELDS = datapointFields();

  private static List<String> datapointFields() {
    List<String> all = new java.util.ArrayList<>(DataPointPaths.FIELDS);
    all.addAll(all.size() - 1, ExpHistogramPaths.FIELDS); // before "cache", which ends every list
    all.addAll(all.size() - 1, DataPointParts.FIELDS);
    return List.copyOf(all);
  }

  /** The fields of a context, in the order error messages list them. */
  static List<String> fields(OttlContext target) {
    return switch (target) {
      case RESOURCE -> ResourcePaths.FIELDS;
      case SCOPE -> ScopePaths.FIELDS;
      case SPAN -> SpanPaths.FIELDS;
      case SPANEVENT -> SpanEventPaths.FIELDS;
      case METRIC -> MetricPaths.FIELDS;
      case DATAPOINT -> DATAPOINT_FIELDS;
      case EXEMPLAR -> ExemplarPaths.FIELDS;
      case LOG -> LogPaths.FIELDS;
    };
  }

  private static void setCache(CurrentItem c, @Nullable Object v) {
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
      c.cache(copy);
    }
  }
}
