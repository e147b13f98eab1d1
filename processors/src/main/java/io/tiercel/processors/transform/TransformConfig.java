package io.tiercel.processors.transform;

import io.tiercel.core.component.SignalNotSupportedException;
import io.tiercel.core.config.ExpandedValue;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Group;
import io.tiercel.processors.ottl.Ottl;
import io.tiercel.processors.ottl.OttlException;
import io.tiercel.processors.ottl.Statement;
import io.tiercel.processors.ottl.StatementGroup;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.transform.functions.TransformFunctions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code transform} processor's config (the collector's keys). Each of {@code
 * trace_statements}, {@code metric_statements} and {@code log_statements} is a list whose entries
 * are either a statement string (its context inferred from its path prefixes) or a {@link
 * StatementGroup} map with {@code context} (optional: inferred when absent), {@code conditions},
 * {@code statements} and {@code error_mode}. Statements are compiled once, here: a bad one fails
 * config loading with its key (such as {@code trace_statements[2]}), its text and position, and the
 * processor runs the compiled groups ({@link #groups}).
 *
 * <p>The collector puts the statement strings of one list into one group and infers one context for
 * them all; Tiercel runs each string in its own inferred context, and rejects, as the collector
 * does, strings whose common context cannot run all their functions (a metric-only editor beside
 * datapoint paths).
 *
 * @param errorMode {@code ignore}, {@code silent} or {@code propagate}; a group's {@code
 *     error_mode} overrides it. Null when unset: the processor then uses {@code ignore}, or {@code
 *     propagate} while the collector's gate {@code processor.transform.defaultErrorModeIgnore} is
 *     disabled ({@link TransformFactory#defaultErrorMode})
 * @param flattenData {@code flatten_data}: each log record gets its own copy of its resource and
 *     scope while the log statements run, and records are regrouped after; needs the collector's
 *     feature gate {@code transform.flatten.logs}, checked when the processor is built
 */
public record TransformConfig(
    @Nullable ErrorMode errorMode,
    List<Object> traceStatements,
    List<Object> metricStatements,
    List<Object> logStatements,
    boolean flattenData) {

  private static final String SHARED_CACHE = "shared_cache";
  private static final List<String> GROUP_KEYS =
      List.of("context", "conditions", "statements", "error_mode", SHARED_CACHE);

  public static TransformConfig defaults() {
    return new TransformConfig(null, List.of(), List.of(), List.of(), false);
  }

  public TransformConfig {
    Ottl ottl = Ottl.withExemplarContext(TransformFunctions.registry());
    traceStatements = compile(ottl, Signal.TRACES, "trace_statements", traceStatements, errorMode);
    metricStatements =
        compile(ottl, Signal.METRICS, "metric_statements", metricStatements, errorMode);
    logStatements = compile(ottl, Signal.LOGS, "log_statements", logStatements, errorMode);
  }

  /** The compiled groups of a signal, in config order. */
  public List<Group> groups(Signal signal) {
    return compiled(signal).groups();
  }

  /** The compiled groups of a signal with their options, in config order. */
  public List<TransformGroup> transformGroups(Signal signal) {
    return compiled(signal).compiled();
  }

  private CompiledGroups compiled(Signal signal) {
    // the compact constructor put them there
    return (CompiledGroups)
        switch (signal) {
          case TRACES -> traceStatements;
          case METRICS -> metricStatements;
          case LOGS -> logStatements;
          case PROFILES -> throw new SignalNotSupportedException("transform", signal);
        };
  }

  private static CompiledGroups compile(
      Ottl ottl, Signal signal, String key, List<Object> entries, @Nullable ErrorMode mode) {
    List<Object> written = entries == null ? List.of() : List.copyOf(entries);
    checkOneStyle(key, written);
    List<TransformGroup> out = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      Object e = written.get(i);
      String k = key + "[" + i + "]";
      if (e instanceof String s) {
        try {
          out.add(new TransformGroup(ottl.group(List.of(s), List.of(), null, signal, mode), false));
        } catch (OttlException ex) {
          throw new InvalidValueException(k, ex.getMessage());
        }
      } else if (e instanceof Map<?, ?> m) {
        boolean shared = sharedCache(k, m);
        Map<Object, Object> rest = new LinkedHashMap<>(m);
        rest.remove(SHARED_CACHE);
        out.add(
            new TransformGroup(group(ottl, signal, k, StatementGroup.bind(k, rest), mode), shared));
      } else {
        throw new InvalidValueException(
            k,
            "expected a statement string or a map with context, conditions,"
                + " statements, error_mode; got "
                + (e == null ? "null" : e.getClass().getSimpleName()));
      }
    }
    checkOneContext(ottl, signal, key, written, mode);
    return new CompiledGroups(written, out);
  }

  /**
   * The group's {@code shared_cache} (false when absent). The transform processor's group has this
   * key beside the shared ones of {@link StatementGroup}, so unknown keys are reported here with
   * it.
   */
  private static boolean sharedCache(String k, Map<?, ?> m) {
    for (Object key : m.keySet()) {
      if (!GROUP_KEYS.contains(String.valueOf(key))) {
        throw new InvalidValueException(
            k, "unknown key \"" + key + "\"; valid keys are: " + String.join(", ", GROUP_KEYS));
      }
    }
    Object v = ExpandedValue.unwrap(m.get(SHARED_CACHE));
    if (v == null || v instanceof Boolean) {
      return Boolean.TRUE.equals(v);
    }
    throw new InvalidValueException(
        k + "." + SHARED_CACHE,
        "expected a boolean, got "
            + (v instanceof String s
                ? "\"" + s + "\""
                : v instanceof Map<?, ?> ? "a map" : v instanceof List<?> ? "a list" : v));
  }

  /**
   * The collector's rule for a list that mixes the two styles: a group after a statement string is
   * refused; groups followed by strings are accepted (the strings then form one group after them).
   */
  private static void checkOneStyle(String key, List<Object> written) {
    boolean sawString = false;
    for (Object e : written) {
      if (e instanceof String) {
        sawString = true;
      } else if (sawString) {
        throw new InvalidValueException(
            key,
            "configuring multiple configuration styles is not supported, please use only Basic"
                + " configuration or only Advanced configuration");
      }
    }
  }

  /** The collector's check on the statement strings of a list, which it compiles as one group. */
  private static void checkOneContext(
      Ottl ottl, Signal signal, String key, List<Object> written, @Nullable ErrorMode mode) {
    List<String> strings = new ArrayList<>();
    for (Object e : written) {
      if (e instanceof String s) {
        strings.add(s);
      }
    }
    if (strings.size() < 2) {
      return;
    }
    try {
      ottl.group(strings, List.of(), null, signal, mode);
    } catch (OttlException ex) {
      throw new InvalidValueException(
          key,
          "the statements of a list are given one context, which must run all of them: "
              + ex.getMessage());
    }
  }

  private static Group group(
      Ottl ottl, Signal signal, String k, StatementGroup g, @Nullable ErrorMode inherited) {
    OttlContext ctx = g.context(ottl.contexts(signal), k);
    if (g.statements().isEmpty()) {
      throw new InvalidValueException(k + ".statements", "at least one statement is required");
    }
    List<Statement> statements = new ArrayList<>();
    for (int j = 0; j < g.statements().size(); j++) {
      try {
        statements.add(ottl.statement(g.statements().get(j), ctx, signal));
      } catch (OttlException ex) {
        throw new InvalidValueException(k + ".statements[" + j + "]", ex.getMessage());
      }
    }
    List<Condition> conditions = new ArrayList<>();
    for (int j = 0; j < g.conditions().size(); j++) {
      try {
        conditions.add(ottl.condition(g.conditions().get(j), ctx, signal));
      } catch (OttlException ex) {
        throw new InvalidValueException(k + ".conditions[" + j + "]", ex.getMessage());
      }
    }
    try {
      return ottl.group(statements, conditions, ctx, g.errorMode(inherited));
    } catch (OttlException ex) {
      throw new InvalidValueException(k, ex.getMessage());
    }
  }
}
