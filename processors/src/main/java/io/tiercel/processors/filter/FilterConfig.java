package io.tiercel.processors.filter;

import io.tiercel.core.component.SignalNotSupportedException;
import io.tiercel.core.config.Derived;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.processors.ottl.CompiledEntries;
import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Ottl;
import io.tiercel.processors.ottl.OttlException;
import io.tiercel.processors.ottl.StatementGroup;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.func.FunctionRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The {@code filter} processor's config (the collector's keys): an item is dropped when any
 * condition of its context is true. Conditions are compiled once, here: a bad one fails config
 * loading with its key and position, and the processor runs the compiled rules ({@link
 * #conditions}).
 *
 * @param errorMode {@code ignore}, {@code silent} or {@code propagate}. Null when unset: the
 *     processor then uses {@code ignore}, or {@code propagate} while the collector's gate {@code
 *     processor.filter.defaultErrorModeIgnore} is disabled ({@link FilterFactory#defaultErrorMode})
 * @param traceConditions conditions whose context (resource, scope, span, spanevent) is inferred
 *     from paths; an entry is a condition string or a {@link StatementGroup} map with {@code
 *     context} (optional), {@code conditions} and {@code error_mode} (optional)
 * @param metricConditions likewise for resource, scope, metric, datapoint
 * @param logConditions likewise for resource, scope, log
 * @param spans the legacy span matchers {@code spans.include} / {@code spans.exclude} ({@link
 *     LegacyMatch})
 * @param traces {@code traces.resource}, {@code traces.span} and {@code traces.spanevent}
 *     conditions (un-prefixed paths allowed)
 * @param metrics {@code metrics.resource}, {@code metrics.metric} and {@code metrics.datapoint}
 *     conditions, or the legacy {@code metrics.include} / {@code metrics.exclude}
 * @param logs {@code logs.resource} and {@code logs.log_record} conditions, or the legacy {@code
 *     logs.include} / {@code logs.exclude}
 * @param legacySkips the legacy matchers compiled (computed, never read from YAML)
 */
public record FilterConfig(
    @Nullable ErrorMode errorMode,
    LegacyMatch.@Nullable Spans spans,
    List<Object> traceConditions,
    List<Object> metricConditions,
    List<Object> logConditions,
    TraceFilters traces,
    MetricFilters metrics,
    LogFilters logs,
    @Derived List<LegacySkip> legacySkips) {

  /** {@code traces:} conditions per context. */
  public record TraceFilters(List<String> resource, List<String> span, List<String> spanevent) {
    public TraceFilters {
      resource = copy(resource);
      span = copy(span);
      spanevent = copy(spanevent);
    }

    boolean isEmpty() {
      return resource.isEmpty() && span.isEmpty() && spanevent.isEmpty();
    }
  }

  /**
   * {@code metrics:} conditions per context, or the legacy {@code include}/{@code exclude}
   * matchers.
   */
  public record MetricFilters(
      LegacyMatch.@Nullable MetricProperties include,
      LegacyMatch.@Nullable MetricProperties exclude,
      LegacyMatch.@Nullable RegexpOptions regexp,
      List<String> resource,
      List<String> metric,
      List<String> datapoint) {
    public MetricFilters {
      resource = copy(resource);
      metric = copy(metric);
      datapoint = copy(datapoint);
    }

    boolean hasConditions() {
      return !resource.isEmpty() || !metric.isEmpty() || !datapoint.isEmpty();
    }
  }

  /** {@code logs:} conditions per context, or the legacy {@code include}/{@code exclude}. */
  public record LogFilters(
      LegacyMatch.@Nullable LogProperties include,
      LegacyMatch.@Nullable LogProperties exclude,
      List<String> resource,
      List<String> logRecord) {
    public LogFilters {
      resource = copy(resource);
      logRecord = copy(logRecord);
    }

    boolean hasConditions() {
      return !resource.isEmpty() || !logRecord.isEmpty();
    }
  }

  /**
   * A compiled legacy matcher: drop the item of {@code context} when {@code skip} holds. Equal when
   * compiled from equal settings.
   */
  public record LegacySkip(
      Signal signal, OttlContext context, Object source, Predicate<CurrentItem> skip) {
    @Override
    public boolean equals(Object o) {
      return o instanceof LegacySkip l
          && l.signal == signal
          && l.context == context
          && l.source.equals(source);
    }

    @Override
    public int hashCode() {
      return Objects.hash(signal, context, source);
    }
  }

  /** The default: no conditions, error mode unset. */
  public static FilterConfig defaults() {
    return new FilterConfig(null, null, List.of(), List.of(), List.of(), null, null, null, null);
  }

  public FilterConfig {
    traceConditions = copy(traceConditions);
    metricConditions = copy(metricConditions);
    logConditions = copy(logConditions);
    traces = traces == null ? new TraceFilters(null, null, null) : traces;
    metrics = metrics == null ? new MetricFilters(null, null, null, null, null, null) : metrics;
    logs = logs == null ? new LogFilters(null, null, null, null) : logs;
    rejectMixedStyles(
        spans, traceConditions, metricConditions, logConditions, traces, metrics, logs);
    legacySkips = LegacyMatchers.compile(spans, metrics, logs);
    Ottl ottl = new Ottl(FunctionRegistry.standard());
    traceConditions =
        compile(
            ottl,
            Signal.TRACES,
            traceConditions,
            List.of(traces.resource(), traces.span(), traces.spanevent()),
            errorMode);
    metricConditions =
        compile(
            ottl,
            Signal.METRICS,
            metricConditions,
            List.of(metrics.resource(), metrics.metric(), metrics.datapoint()),
            errorMode);
    logConditions =
        compile(
            ottl,
            Signal.LOGS,
            logConditions,
            List.of(logs.resource(), logs.logRecord()),
            errorMode);
  }

  /** The collector's checks, in its order, against using two styles of one signal at once. */
  private static void rejectMixedStyles(
      LegacyMatch.@Nullable Spans spans,
      List<Object> traceConditions,
      List<Object> metricConditions,
      List<Object> logConditions,
      TraceFilters traces,
      MetricFilters metrics,
      LogFilters logs) {
    boolean metricMatchers = metrics.include() != null || metrics.exclude() != null;
    boolean logMatchers = logs.include() != null || logs.exclude() != null;
    if (!traceConditions.isEmpty() && !traces.isEmpty()) {
      throw new InvalidValueException(
          "trace_conditions",
          "cannot use context inferred trace conditions \"trace_conditions\" and the settings"
              + " \"traces.resource\", \"traces.span\", \"traces.spanevent\" at the same time");
    }
    if (!metricConditions.isEmpty() && (metrics.hasConditions() || metricMatchers)) {
      throw new InvalidValueException(
          "metric_conditions",
          "cannot use context inferred metric conditions \"metric_conditions\" and the settings"
              + " \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\","
              + " \"metrics.include\", \"metrics.exclude\" at the same time");
    }
    if (!logConditions.isEmpty() && (logs.hasConditions() || logMatchers)) {
      throw new InvalidValueException(
          "log_conditions",
          "cannot use context inferred log conditions \"log_conditions\" and the settings"
              + " \"logs.resource\", \"logs.log\", \"logs.include\", \"logs.exclude\" at the"
              + " same time");
    }
    if (!traces.isEmpty()
        && spans != null
        && (spans.include() != null || spans.exclude() != null)) {
      throw new InvalidValueException(
          "spans",
          "cannot use \"traces.resource\", \"traces.span\", \"traces.spanevent\" and the span"
              + " settings \"spans.include\", \"spans.exclude\" at the same time");
    }
    if (metrics.hasConditions() && metricMatchers) {
      throw new InvalidValueException(
          metrics.include() != null ? "metrics.include" : "metrics.exclude",
          "cannot use \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\" and the"
              + " settings \"metrics.include\", \"metrics.exclude\" at the same time");
    }
    if (logs.hasConditions() && logMatchers) {
      throw new InvalidValueException(
          logs.include() != null ? "logs.include" : "logs.exclude",
          "cannot use \"logs.resource\", \"logs.log\" and the settings \"logs.include\","
              + " \"logs.exclude\" at the same time");
    }
  }

  /** An unmodifiable copy that keeps null entries (they are reported at their index). */
  private static <T> List<T> copy(@Nullable List<T> l) {
    return l == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(l));
  }

  /** The compiled legacy matchers of a signal, in the order they apply (resource first). */
  public List<LegacySkip> legacySkips(Signal signal) {
    return legacySkips.stream().filter(l -> l.signal() == signal).toList();
  }

  /**
   * A compiled condition with the error mode that applies to it (null: the processor's default).
   */
  public record Rule(Condition condition, @Nullable ErrorMode errorMode) {}

  /** The compiled conditions of a signal (inferred and per-context ones together). */
  public List<Rule> conditions(Signal signal) {
    List<Object> inferred =
        switch (signal) {
          case TRACES -> traceConditions;
          case METRICS -> metricConditions;
          case LOGS -> logConditions;
          case PROFILES -> throw new SignalNotSupportedException("filter", signal);
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
      List<List<String>> perContext,
      @Nullable ErrorMode mode) {
    List<Rule> out = new ArrayList<>();
    String flatKey =
        switch (signal) {
          case TRACES -> "trace_conditions";
          case METRICS -> "metric_conditions";
          case LOGS -> "log_conditions";
          case PROFILES -> throw new SignalNotSupportedException("filter", signal);
        };
    String[] keys =
        switch (signal) {
          case TRACES -> new String[] {"traces.resource", "traces.span", "traces.spanevent"};
          case METRICS -> new String[] {"metrics.resource", "metrics.metric", "metrics.datapoint"};
          case LOGS -> new String[] {"logs.resource", "logs.log_record"};
          case PROFILES -> throw new SignalNotSupportedException("filter", signal);
        };
    OttlContext[] ctxs =
        switch (signal) {
          case TRACES ->
              new OttlContext[] {OttlContext.RESOURCE, OttlContext.SPAN, OttlContext.SPANEVENT};
          case METRICS ->
              new OttlContext[] {OttlContext.RESOURCE, OttlContext.METRIC, OttlContext.DATAPOINT};
          case LOGS -> new OttlContext[] {OttlContext.RESOURCE, OttlContext.LOG};
          case PROFILES -> throw new SignalNotSupportedException("filter", signal);
        };
    boolean basic = false;
    boolean advanced = false;
    for (Object e : inferred) {
      basic |= e instanceof String;
      advanced |= e instanceof Map<?, ?>;
    }
    if (basic && advanced) {
      throw new InvalidValueException(
          flatKey,
          "configuring multiple configuration styles is not supported, please use only Basic"
              + " configuration or only Advanced configuration");
    }
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
    for (int c = 0; c < perContext.size(); c++) {
      List<String> list = perContext.get(c);
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) == null) {
          throw new InvalidValueException(
              keys[c] + "[" + i + "]", "expected a condition string; got null");
        }
        out.add(
            new Rule(
                compileOne(ottl, keys[c] + "[" + i + "]", list.get(i), ctxs[c], signal), mode));
      }
    }
    return new CompiledEntries<>(inferred, out);
  }

  private static List<Rule> group(
      Ottl ottl, String k, StatementGroup g, Signal signal, @Nullable ErrorMode inherited) {
    OttlContext ctx = g.context(signal, k);
    @Nullable ErrorMode mode = g.errorMode(inherited);
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
