package io.tiercel.processors.filter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.ErrorMode;
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
 * The {@code filter} processor's config (the collector's keys): an item is dropped when any
 * condition of its context is true. Conditions are compiled here, so a bad one fails config loading
 * with its position.
 *
 * @param errorMode {@code ignore}, {@code silent} or {@code propagate} (default, as in the
 *     collector)
 * @param traceConditions conditions whose context (resource, scope, span, spanevent) is inferred
 *     from paths; an entry is a condition string or a group map with {@code context} (optional),
 *     {@code conditions} and {@code error_mode} (optional)
 * @param metricConditions likewise for resource, scope, metric, datapoint
 * @param logConditions likewise for resource, scope, log
 * @param traces {@code traces.span} and {@code traces.spanevent} conditions (un-prefixed paths
 *     allowed)
 * @param metrics {@code metrics.metric} and {@code metrics.datapoint} conditions
 * @param logs {@code logs.log_record} conditions
 */
public record FilterConfig(
    ErrorMode errorMode,
    List<Object> traceConditions,
    List<Object> metricConditions,
    List<Object> logConditions,
    TraceFilters traces,
    MetricFilters metrics,
    LogFilters logs) {

  /** {@code traces:} conditions per context. */
  public record TraceFilters(List<String> span, List<String> spanevent) {
    public TraceFilters {
      span = span == null ? List.of() : List.copyOf(span);
      spanevent = spanevent == null ? List.of() : List.copyOf(spanevent);
    }
  }

  /** {@code metrics:} conditions per context. */
  public record MetricFilters(List<String> metric, List<String> datapoint) {
    public MetricFilters {
      metric = metric == null ? List.of() : List.copyOf(metric);
      datapoint = datapoint == null ? List.of() : List.copyOf(datapoint);
    }
  }

  /** {@code logs:} conditions. */
  public record LogFilters(List<String> logRecord) {
    public LogFilters {
      logRecord = logRecord == null ? List.of() : List.copyOf(logRecord);
    }
  }

  /** The default: no conditions, error mode propagate. */
  public static FilterConfig defaults() {
    return new FilterConfig(
        ErrorMode.PROPAGATE,
        List.of(),
        List.of(),
        List.of(),
        new TraceFilters(List.of(), List.of()),
        new MetricFilters(List.of(), List.of()),
        new LogFilters(List.of()));
  }

  public FilterConfig {
    errorMode = errorMode == null ? ErrorMode.PROPAGATE : errorMode;
    traceConditions = traceConditions == null ? List.of() : List.copyOf(traceConditions);
    metricConditions = metricConditions == null ? List.of() : List.copyOf(metricConditions);
    logConditions = logConditions == null ? List.of() : List.copyOf(logConditions);
    traces = traces == null ? new TraceFilters(List.of(), List.of()) : traces;
    metrics = metrics == null ? new MetricFilters(List.of(), List.of()) : metrics;
    logs = logs == null ? new LogFilters(List.of()) : logs;
    if (!traceConditions.isEmpty() && (!traces.span().isEmpty() || !traces.spanevent().isEmpty())) {
      throw new InvalidValueException(
          "trace_conditions",
          "cannot use context inferred trace conditions and traces.span/traces.spanevent at the"
              + " same time");
    }
    if (!metricConditions.isEmpty()
        && (!metrics.metric().isEmpty() || !metrics.datapoint().isEmpty())) {
      throw new InvalidValueException(
          "metric_conditions",
          "cannot use context inferred metric conditions and metrics.metric/metrics.datapoint at"
              + " the same time");
    }
    if (!logConditions.isEmpty() && !logs.logRecord().isEmpty()) {
      throw new InvalidValueException(
          "log_conditions",
          "cannot use context inferred log conditions and logs.log_record at the same time");
    }
    compile(Signal.TRACES, traceConditions, traces.span(), traces.spanevent(), errorMode);
    compile(Signal.METRICS, metricConditions, metrics.metric(), metrics.datapoint(), errorMode);
    compile(Signal.LOGS, logConditions, logs.logRecord(), List.of(), errorMode);
  }

  /** A compiled condition with the error mode that applies to it. */
  public record Rule(Condition condition, ErrorMode errorMode) {}

  /** The compiled conditions of a signal (inferred and per-context ones together). */
  public List<Rule> conditions(Signal signal) {
    return switch (signal) {
      case TRACES ->
          compile(Signal.TRACES, traceConditions, traces.span(), traces.spanevent(), errorMode);
      case METRICS ->
          compile(
              Signal.METRICS, metricConditions, metrics.metric(), metrics.datapoint(), errorMode);
      case LOGS -> compile(Signal.LOGS, logConditions, logs.logRecord(), List.of(), errorMode);
    };
  }

  private static List<Rule> compile(
      Signal signal, List<Object> inferred, List<String> item, List<String> sub, ErrorMode mode) {
    List<Rule> out = new ArrayList<>();
    String flatKey =
        switch (signal) {
          case TRACES -> "trace_conditions";
          case METRICS -> "metric_conditions";
          case LOGS -> "log_conditions";
        };
    String[] keys =
        switch (signal) {
          case TRACES -> new String[] {"traces.span", "traces.spanevent"};
          case METRICS -> new String[] {"metrics.metric", "metrics.datapoint"};
          case LOGS -> new String[] {"logs.log_record", ""};
        };
    OttlContext[] ctxs =
        switch (signal) {
          case TRACES -> new OttlContext[] {OttlContext.SPAN, OttlContext.SPANEVENT};
          case METRICS -> new OttlContext[] {OttlContext.METRIC, OttlContext.DATAPOINT};
          case LOGS -> new OttlContext[] {OttlContext.LOG, null};
        };
    for (int i = 0; i < inferred.size(); i++) {
      Object e = inferred.get(i);
      String k = flatKey + "[" + i + "]";
      if (e instanceof String text) {
        out.add(new Rule(compileOne(k, text, null, signal), mode));
      } else if (e instanceof Map<?, ?> m) {
        out.addAll(group(k, m, signal, mode));
      } else {
        throw new InvalidValueException(
            k,
            "expected a condition string or a map with context, conditions,"
                + " error_mode; got "
                + (e == null ? "null" : e.getClass().getSimpleName()));
      }
    }
    for (int i = 0; i < item.size(); i++) {
      out.add(new Rule(compileOne(keys[0] + "[" + i + "]", item.get(i), ctxs[0], signal), mode));
    }
    for (int i = 0; i < sub.size(); i++) {
      out.add(new Rule(compileOne(keys[1] + "[" + i + "]", sub.get(i), ctxs[1], signal), mode));
    }
    return out;
  }

  private static List<Rule> group(String k, Map<?, ?> m, Signal signal, ErrorMode defaultMode) {
    for (Object name : m.keySet()) {
      if (!Set.of("context", "conditions", "error_mode").contains(String.valueOf(name))) {
        throw new InvalidValueException(
            k + "." + name, "unknown key: expected one of conditions, context," + " error_mode");
      }
    }
    OttlContext ctx = null;
    List<OttlContext> valid = OttlContext.of(signal);
    Object c = m.get("context");
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
    Object conds = m.get("conditions");
    List<?> list = conds instanceof List<?> l ? l : conds == null ? List.of() : List.of(conds);
    if (list.isEmpty()) {
      throw new InvalidValueException(k + ".conditions", "at least one condition is required");
    }
    List<Rule> out = new ArrayList<>();
    for (int j = 0; j < list.size(); j++) {
      if (!(list.get(j) instanceof String text)) {
        throw new InvalidValueException(
            k + ".conditions[" + j + "]", "expected a condition string");
      }
      out.add(new Rule(compileOne(k + ".conditions[" + j + "]", text, ctx, signal), mode));
    }
    return out;
  }

  private static Condition compileOne(String key, String text, OttlContext ctx, Signal signal) {
    try {
      return new Ottl(FunctionRegistry.standard()).condition(text, ctx, signal);
    } catch (OttlException e) {
      throw new InvalidValueException(key, e.getMessage());
    }
  }
}
