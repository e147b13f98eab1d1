package io.tiercel.processors.transform;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Group;
import io.tiercel.processors.ottl.Ottl;
import io.tiercel.processors.ottl.OttlException;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code transform} processor's config (the collector's keys). Each of {@code
 * trace_statements}, {@code metric_statements} and {@code log_statements} is a list whose entries
 * are either a statement string (its context inferred from its path prefixes) or a group map with
 * {@code context} (optional: inferred when absent), {@code conditions}, {@code statements} and
 * {@code error_mode}. Statements are compiled here, so a bad one fails config loading with its key
 * (such as {@code trace_statements[2]}), its text and position.
 *
 * @param errorMode {@code ignore} (default, as in the collector's transform processor), {@code
 *     silent} or {@code propagate}; a group's {@code error_mode} overrides it
 */
public record TransformConfig(
    ErrorMode errorMode,
    List<Object> traceStatements,
    List<Object> metricStatements,
    List<Object> logStatements) {

  private static final Set<String> GROUP_KEYS =
      Set.of("context", "conditions", "statements", "error_mode");

  public static TransformConfig defaults() {
    return new TransformConfig(ErrorMode.IGNORE, List.of(), List.of(), List.of());
  }

  public TransformConfig {
    errorMode = errorMode == null ? ErrorMode.IGNORE : errorMode;
    traceStatements = traceStatements == null ? List.of() : List.copyOf(traceStatements);
    metricStatements = metricStatements == null ? List.of() : List.copyOf(metricStatements);
    logStatements = logStatements == null ? List.of() : List.copyOf(logStatements);
    compile(Signal.TRACES, "trace_statements", traceStatements, errorMode);
    compile(Signal.METRICS, "metric_statements", metricStatements, errorMode);
    compile(Signal.LOGS, "log_statements", logStatements, errorMode);
  }

  /** The compiled groups of a signal, in config order. */
  public List<Group> groups(Signal signal) {
    return switch (signal) {
      case TRACES -> compile(signal, "trace_statements", traceStatements, errorMode);
      case METRICS -> compile(signal, "metric_statements", metricStatements, errorMode);
      case LOGS -> compile(signal, "log_statements", logStatements, errorMode);
    };
  }

  private static List<Group> compile(
      Signal signal, String key, List<Object> entries, ErrorMode mode) {
    List<Group> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Object e = entries.get(i);
      String k = key + "[" + i + "]";
      if (e instanceof String s) {
        try {
          out.add(
              new Ottl(FunctionRegistry.standard())
                  .group(List.of(s), List.of(), null, signal, mode));
        } catch (OttlException ex) {
          throw new InvalidValueException(k, ex.getMessage());
        }
      } else if (e instanceof Map<?, ?> m) {
        out.add(group(signal, k, m, mode));
      } else {
        throw new InvalidValueException(
            k,
            "expected a statement string or a map with context, conditions,"
                + " statements, error_mode; got "
                + (e == null ? "null" : e.getClass().getSimpleName()));
      }
    }
    return out;
  }

  private static Group group(Signal signal, String k, Map<?, ?> m, ErrorMode defaultMode) {
    for (Object name : m.keySet()) {
      if (!GROUP_KEYS.contains(String.valueOf(name))) {
        throw new InvalidValueException(
            k + "." + name,
            "unknown key: expected one of conditions, context," + " error_mode, statements");
      }
    }
    OttlContext ctx = null;
    Object c = m.get("context");
    List<OttlContext> valid = OttlContext.of(signal);
    if (c != null) {
      ctx = OttlContext.parse(String.valueOf(c));
      if (ctx == null || !valid.contains(ctx)) {
        throw new InvalidValueException(
            k + ".context",
            "\""
                + c
                + "\" is not one of "
                + valid.stream().map(OttlContext::id).collect(Collectors.joining(", ")));
      }
    }
    ErrorMode mode = defaultMode;
    Object em = m.get("error_mode");
    if (em != null) {
      try {
        mode = ErrorMode.valueOf(String.valueOf(em).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        throw new InvalidValueException(
            k + ".error_mode", "\"" + em + "\" is not one of ignore, silent, propagate");
      }
    }
    List<String> statements = strings(k + ".statements", m.get("statements"));
    List<String> conditions = strings(k + ".conditions", m.get("conditions"));
    if (statements.isEmpty()) {
      throw new InvalidValueException(k + ".statements", "at least one statement is required");
    }
    for (int j = 0; j < statements.size(); j++) {
      try {
        new Ottl(FunctionRegistry.standard()).statement(statements.get(j), ctx, signal);
      } catch (OttlException ex) {
        throw new InvalidValueException(k + ".statements[" + j + "]", ex.getMessage());
      }
    }
    for (int j = 0; j < conditions.size(); j++) {
      try {
        new Ottl(FunctionRegistry.standard()).condition(conditions.get(j), ctx, signal);
      } catch (OttlException ex) {
        throw new InvalidValueException(k + ".conditions[" + j + "]", ex.getMessage());
      }
    }
    try {
      return new Ottl(FunctionRegistry.standard()).group(statements, conditions, ctx, signal, mode);
    } catch (OttlException ex) {
      throw new InvalidValueException(k, ex.getMessage());
    }
  }

  private static List<String> strings(String key, Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (!(v instanceof List<?> l)) {
      throw new InvalidValueException(key, "expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      if (!(o instanceof String s)) {
        throw new InvalidValueException(key, "expected a list of strings, found " + o);
      }
      out.add(s);
    }
    return out;
  }
}
