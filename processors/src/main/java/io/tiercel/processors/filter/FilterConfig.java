package io.tiercel.processors.filter;

import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.CompiledEntries;
import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Ottl;
import io.tiercel.processors.ottl.OttlException;
import io.tiercel.processors.ottl.StatementGroup;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code filter} processor's config (the collector's keys): an item is dropped when any
 * condition of its context is true. Conditions are compiled once, here: a bad one fails config
 * loading with its key and position, and the processor runs the compiled rules ({@link
 * #conditions}).
 *
 * @param errorMode {@code ignore}, {@code silent} or {@code propagate} (default, as in the
 *     collector)
 * @param traceConditions conditions whose context (resource, scope, span, spanevent) is inferred
 *     from paths; an entry is a condition string or a {@link StatementGroup} map with {@code
 *     context} (optional), {@code conditions} and {@code error_mode} (optional)
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
    Ottl ottl = new Ottl(FunctionRegistry.standard());
    traceConditions =
        compile(ottl, Signal.TRACES, traceConditions, traces.span(), traces.spanevent(), errorMode);
    metricConditions =
        compile(
            ottl,
            Signal.METRICS,
            metricConditions,
            metrics.metric(),
            metrics.datapoint(),
            errorMode);
    logConditions =
        compile(ottl, Signal.LOGS, logConditions, logs.logRecord(), List.of(), errorMode);
  }

  /** A compiled condition with the error mode that applies to it. */
  public record Rule(Condition condition, ErrorMode errorMode) {}

  /** The compiled conditions of a signal (inferred and per-context ones together). */
  public List<Rule> conditions(Signal signal) {
    List<Object> inferred =
        switch (signal) {
          case TRACES -> traceConditions;
          case METRICS -> metricConditions;
          case LOGS -> logConditions;
        };
    @SuppressWarnings("unchecked") // the compact constructor put them there
    CompiledEntries<Object, Rule> compiled = (CompiledEntries<Object, Rule>) inferred;
    return compiled.compiled();
  }

  /**
   * Compiles a signal's conditions once. The result is the inferred entries as written, carrying
   * the rules of the whole signal: the per-context lists ({@code traces.span}, ...) live in nested
   * records that cannot carry them.
   */
  private static CompiledEntries<Object, Rule> compile(
      Ottl ottl,
      Signal signal,
      List<Object> inferred,
      List<String> item,
      List<String> sub,
      ErrorMode mode) {
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
        out.add(new Rule(compileOne(ottl, k, text, null, signal), mode));
      } else if (e instanceof Map<?, ?> m) {
        out.addAll(group(ottl, k, StatementGroup.bind(k, m), signal, mode));
      } else {
        throw new InvalidValueException(
            k,
            "expected a condition string or a map with context, conditions,"
                + " error_mode; got "
                + (e == null ? "null" : e.getClass().getSimpleName()));
      }
    }
    for (int i = 0; i < item.size(); i++) {
      out.add(
          new Rule(compileOne(ottl, keys[0] + "[" + i + "]", item.get(i), ctxs[0], signal), mode));
    }
    for (int i = 0; i < sub.size(); i++) {
      out.add(
          new Rule(compileOne(ottl, keys[1] + "[" + i + "]", sub.get(i), ctxs[1], signal), mode));
    }
    return new CompiledEntries<>(inferred, out);
  }

  private static List<Rule> group(
      Ottl ottl, String k, StatementGroup g, Signal signal, ErrorMode inherited) {
    OttlContext ctx = g.context(signal, k);
    ErrorMode mode = g.errorMode(inherited);
    if (!g.statements().isEmpty()) {
      throw new InvalidValueException(
          k + ".statements",
          "the filter processor takes conditions only; statements belong to the transform"
              + " processor");
    }
    if (g.conditions().isEmpty()) {
      throw new InvalidValueException(k + ".conditions", "at least one condition is required");
    }
    List<Rule> out = new ArrayList<>();
    for (int j = 0; j < g.conditions().size(); j++) {
      out.add(
          new Rule(
              compileOne(ottl, k + ".conditions[" + j + "]", g.conditions().get(j), ctx, signal),
              mode));
    }
    return out;
  }

  private static Condition compileOne(
      Ottl ottl, String key, String text, @Nullable OttlContext ctx, Signal signal) {
    try {
      return ottl.condition(text, ctx, signal);
    } catch (OttlException e) {
      throw new InvalidValueException(key, e.getMessage());
    }
  }
}
