package io.tiercel.processors.filter;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Items;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.processors.ottl.Condition;
import io.tiercel.processors.ottl.ErrorMode;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.CurrentItem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Drops the items for which any condition of their context is true, reading the immutable messages
 * and rebuilding only the parts that lost something. Higher levels are decided first (a dropped
 * resource drops its scopes and items without evaluating them); scopes and resources left empty are
 * removed; a metric left without data points (when data point conditions exist) is removed.
 * Thread-safe.
 */
public final class Filters {
  /**
   * The result of filtering: the data left (null when nothing is left) and how many items were
   * dropped.
   */
  public record Result<T>(T data, long dropped) {}

  private final Map<OttlContext, Level> byContext = new EnumMap<>(OttlContext.class);
  private final Errors errors;
  private final Clock clock;

  /** Filters with one error mode for all conditions (null: the default of {@code errors}). */
  public static Filters of(
      List<Condition> conditions, @Nullable ErrorMode mode, Errors errors, Clock clock) {
    return new Filters(
        conditions.stream().map(c -> new FilterConfig.Rule(c, mode)).toList(), errors, clock);
  }

  /** Filters with an error mode per condition. */
  public Filters(List<FilterConfig.Rule> rules, Errors errors, Clock clock) {
    this(rules, List.of(), errors, clock);
  }

  /** Filters with an error mode per condition and the legacy matchers. */
  public Filters(
      List<FilterConfig.Rule> rules,
      List<FilterConfig.LegacySkip> skips,
      Errors errors,
      Clock clock) {
    Map<OttlContext, List<FilterConfig.Rule>> r = new EnumMap<>(OttlContext.class);
    Map<OttlContext, List<Predicate<CurrentItem>>> s = new EnumMap<>(OttlContext.class);
    for (OttlContext c : OttlContext.values()) {
      r.put(c, new ArrayList<>());
      s.put(c, new ArrayList<>());
    }
    for (FilterConfig.Rule rule : rules) {
      r.get(rule.condition().context()).add(rule);
    }
    for (FilterConfig.LegacySkip skip : skips) {
      s.get(skip.context()).add(skip.skip());
    }
    for (OttlContext c : OttlContext.values()) {
      byContext.put(c, new Level(List.copyOf(r.get(c)), List.copyOf(s.get(c))));
    }
    this.errors = errors;
    this.clock = clock;
  }

  /** What decides at one level: legacy matchers (which cannot fail) and OTTL conditions. */
  private record Level(List<FilterConfig.Rule> rules, List<Predicate<CurrentItem>> skips) {
    boolean isEmpty() {
      return rules.isEmpty() && skips.isEmpty();
    }
  }

  private Level at(OttlContext c) {
    return byContext.get(c);
  }

  private boolean any(Level level, CurrentItem c) {
    for (Predicate<CurrentItem> s : level.skips()) {
      if (s.test(c)) {
        return true;
      }
    }
    for (FilterConfig.Rule r : level.rules()) {
      try {
        if (r.condition().test(c)) {
          return true;
        }
      } catch (RuntimeException e) {
        errors.failed(r.errorMode(), "condition", r.condition().text(), e);
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ traces

  /** Filters spans and span events. */
  public Result<TracesData> apply(TracesData in) {
    Level rc = at(OttlContext.RESOURCE);
    Level sc = at(OttlContext.SCOPE);
    Level spc = at(OttlContext.SPAN);
    Level ec = at(OttlContext.SPANEVENT);
    CurrentItem c = new CurrentItem(clock);
    long dropped = 0;
    boolean changed = false;
    List<ResourceSpans> out = new ArrayList<>(in.getResourceSpansCount());
    for (ResourceSpans rs : in.getResourceSpansList()) {
      c.resource(rs.getResource()).resourceHolder(rs);
      if (!rc.isEmpty() && any(rc, c)) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          dropped += ss.getSpansCount();
        }
        changed = true;
        continue;
      }
      boolean rsChanged = false;
      List<ScopeSpans> scopes = new ArrayList<>(rs.getScopeSpansCount());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        c.scope(ss.getScope()).scopeHolder(ss);
        if (!sc.isEmpty() && any(sc, c)) {
          dropped += ss.getSpansCount();
          rsChanged = true;
          continue;
        }
        boolean ssChanged = false;
        List<Span> spans = new ArrayList<>(ss.getSpansCount());
        for (Span span : ss.getSpansList()) {
          c.span(span);
          if (!spc.isEmpty() && any(spc, c)) {
            dropped++;
            ssChanged = true;
            continue;
          }
          if (!ec.isEmpty() && span.getEventsCount() > 0) {
            List<Span.Event> events = new ArrayList<>(span.getEventsCount());
            for (int i = 0; i < span.getEventsCount(); i++) {
              Span.Event e = span.getEvents(i);
              if (!any(ec, c.event(e, i))) {
                events.add(e);
              }
            }
            if (events.size() != span.getEventsCount()) {
              span = span.toBuilder().clearEvents().addAllEvents(events).build();
              ssChanged = true;
            }
          }
          spans.add(span);
        }
        if (ssChanged) {
          rsChanged = true;
          if (!spans.isEmpty()) {
            scopes.add(ss.toBuilder().clearSpans().addAllSpans(spans).build());
          }
        } else {
          scopes.add(ss);
        }
      }
      if (rsChanged) {
        changed = true;
        if (!scopes.isEmpty()) {
          out.add(rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes).build());
        }
      } else {
        out.add(rs);
      }
    }
    if (!changed) {
      return new Result<>(in, 0);
    }
    return new Result<>(
        out.isEmpty() ? null : TracesData.newBuilder().addAllResourceSpans(out).build(), dropped);
  }

  /**
   * Filters spans and span events of a view, recording the drops on it: spans are read from the
   * wire where the conditions allow, a dropped span is a skipped byte range, and only a span that
   * loses events is re-encoded. The same decisions and result as {@link #apply(TracesData)}: the
   * view's data is null when something was dropped and nothing is left, and the view is unchanged
   * (same modification count) when nothing was dropped.
   */
  public Result<TracesView> apply(TracesView v) {
    Level rc = at(OttlContext.RESOURCE);
    Level sc = at(OttlContext.SCOPE);
    Level spc = at(OttlContext.SPAN);
    Level ec = at(OttlContext.SPANEVENT);
    CurrentItem c = new CurrentItem(clock);
    long dropped = 0;
    boolean changed = false;
    for (int r = 0; r < v.resourceCount(); r++) {
      if (v.resourceGone(r)) {
        continue;
      }
      c.viewResource(v, r);
      if (!rc.isEmpty() && any(rc, c)) {
        dropped += liveSpans(v, v.firstSpan(v.firstScope(r)), v.firstSpan(v.firstScope(r + 1)));
        v.dropResource(r);
        changed = true;
        continue;
      }
      for (int s = v.firstScope(r); s < v.firstScope(r + 1); s++) {
        if (v.scopeGone(s)) {
          continue;
        }
        c.viewScope(s);
        if (!sc.isEmpty() && any(sc, c)) {
          dropped += liveSpans(v, v.firstSpan(s), v.firstSpan(s + 1));
          v.dropScope(s);
          changed = true;
          continue;
        }
        for (int i = v.firstSpan(s); i < v.firstSpan(s + 1); i++) {
          if (v.spanDropped(i)) {
            continue;
          }
          c.viewSpan(i);
          if (!spc.isEmpty() && any(spc, c)) {
            dropped++;
            v.dropSpan(i);
            changed = true;
            continue;
          }
          if (!ec.isEmpty() && c.span().getEventsCount() > 0) {
            changed |= filterEvents(v, i, ec, c);
          }
        }
      }
    }
    if (!changed) {
      return new Result<>(v, 0);
    }
    v.rebuildEnvelope();
    for (int r = 0; r < v.resourceCount(); r++) {
      if (!v.resourceGone(r)) {
        return new Result<>(v, dropped);
      }
    }
    return new Result<>(null, dropped);
  }

  private static long liveSpans(TracesView v, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      n += v.spanDropped(i) ? 0 : 1;
    }
    return n;
  }

  private boolean filterEvents(TracesView v, int i, Level ec, CurrentItem c) {
    SpanOrBuilder span = c.span();
    List<Span.Event> events = new ArrayList<>(span.getEventsCount());
    for (int k = 0; k < span.getEventsCount(); k++) {
      Span.Event e = span.getEvents(k);
      if (!any(ec, c.event(e, k))) {
        events.add(e);
      }
    }
    if (events.size() == span.getEventsCount()) {
      return false;
    }
    v.editSpan(i).clearEvents().addAllEvents(events);
    return true;
  }

  // ------------------------------------------------------------------ logs

  /** Filters log records. */
  public Result<LogsData> apply(LogsData in) {
    Level rc = at(OttlContext.RESOURCE);
    Level sc = at(OttlContext.SCOPE);
    Level lc = at(OttlContext.LOG);
    CurrentItem c = new CurrentItem(clock);
    long dropped = 0;
    boolean changed = false;
    List<ResourceLogs> out = new ArrayList<>(in.getResourceLogsCount());
    for (ResourceLogs rl : in.getResourceLogsList()) {
      c.resource(rl.getResource()).resourceHolder(rl);
      if (!rc.isEmpty() && any(rc, c)) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          dropped += sl.getLogRecordsCount();
        }
        changed = true;
        continue;
      }
      boolean rlChanged = false;
      List<ScopeLogs> scopes = new ArrayList<>(rl.getScopeLogsCount());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        c.scope(sl.getScope()).scopeHolder(sl);
        if (!sc.isEmpty() && any(sc, c)) {
          dropped += sl.getLogRecordsCount();
          rlChanged = true;
          continue;
        }
        List<LogRecord> logs = new ArrayList<>(sl.getLogRecordsCount());
        for (LogRecord lr : sl.getLogRecordsList()) {
          if (!lc.isEmpty() && any(lc, c.log(lr))) {
            dropped++;
          } else {
            logs.add(lr);
          }
        }
        if (logs.size() != sl.getLogRecordsCount()) {
          rlChanged = true;
          if (!logs.isEmpty()) {
            scopes.add(sl.toBuilder().clearLogRecords().addAllLogRecords(logs).build());
          }
        } else {
          scopes.add(sl);
        }
      }
      if (rlChanged) {
        changed = true;
        if (!scopes.isEmpty()) {
          out.add(rl.toBuilder().clearScopeLogs().addAllScopeLogs(scopes).build());
        }
      } else {
        out.add(rl);
      }
    }
    if (!changed) {
      return new Result<>(in, 0);
    }
    return new Result<>(
        out.isEmpty() ? null : LogsData.newBuilder().addAllResourceLogs(out).build(), dropped);
  }

  // ------------------------------------------------------------------ metrics

  /** Filters metrics and data points; counts dropped data points. */
  public Result<MetricsData> apply(MetricsData in) {
    Level rc = at(OttlContext.RESOURCE);
    Level sc = at(OttlContext.SCOPE);
    Level mc = at(OttlContext.METRIC);
    Level dc = at(OttlContext.DATAPOINT);
    CurrentItem c = new CurrentItem(clock);
    long dropped = 0;
    boolean changed = false;
    List<ResourceMetrics> out = new ArrayList<>(in.getResourceMetricsCount());
    for (ResourceMetrics rm : in.getResourceMetricsList()) {
      c.resource(rm.getResource()).resourceHolder(rm);
      if (!rc.isEmpty() && any(rc, c)) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            dropped += Items.dataPoints(m);
          }
        }
        changed = true;
        continue;
      }
      boolean rmChanged = false;
      List<ScopeMetrics> scopes = new ArrayList<>(rm.getScopeMetricsCount());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        c.scope(sm.getScope()).scopeHolder(sm);
        if (!sc.isEmpty() && any(sc, c)) {
          for (Metric m : sm.getMetricsList()) {
            dropped += Items.dataPoints(m);
          }
          rmChanged = true;
          continue;
        }
        boolean smChanged = false;
        List<Metric> metrics = new ArrayList<>(sm.getMetricsCount());
        for (Metric m : sm.getMetricsList()) {
          c.metric(m);
          int before = Items.dataPoints(m);
          if (!mc.isEmpty() && any(mc, c)) {
            dropped += before;
            smChanged = true;
            continue;
          }
          if (!dc.isEmpty()) {
            Metric kept = filterPoints(m, dc, c);
            int after = Items.dataPoints(kept);
            dropped += before - after;
            if (after == 0) {
              smChanged = true;
              continue;
            }
            if (after != before) {
              smChanged = true;
              m = kept;
            }
          }
          metrics.add(m);
        }
        if (smChanged) {
          rmChanged = true;
          if (!metrics.isEmpty()) {
            scopes.add(sm.toBuilder().clearMetrics().addAllMetrics(metrics).build());
          }
        } else {
          scopes.add(sm);
        }
      }
      if (rmChanged) {
        changed = true;
        if (!scopes.isEmpty()) {
          out.add(rm.toBuilder().clearScopeMetrics().addAllScopeMetrics(scopes).build());
        }
      } else {
        out.add(rm);
      }
    }
    if (!changed) {
      return new Result<>(in, 0);
    }
    return new Result<>(
        out.isEmpty() ? null : MetricsData.newBuilder().addAllResourceMetrics(out).build(),
        dropped);
  }

  private <P> List<P> keep(List<P> points, Level dc, CurrentItem c) {
    List<P> kept = new ArrayList<>(points.size());
    for (P p : points) {
      if (!any(dc, c.dataPoint(p))) {
        kept.add(p);
      }
    }
    return kept;
  }

  private Metric filterPoints(Metric m, Level dc, CurrentItem c) {
    switch (m.getDataCase()) {
      case GAUGE -> {
        List<NumberDataPoint> k = keep(m.getGauge().getDataPointsList(), dc, c);
        return k.size() == m.getGauge().getDataPointsCount()
            ? m
            : m.toBuilder()
                .setGauge(m.getGauge().toBuilder().clearDataPoints().addAllDataPoints(k))
                .build();
      }
      case SUM -> {
        List<NumberDataPoint> k = keep(m.getSum().getDataPointsList(), dc, c);
        return k.size() == m.getSum().getDataPointsCount()
            ? m
            : m.toBuilder()
                .setSum(m.getSum().toBuilder().clearDataPoints().addAllDataPoints(k))
                .build();
      }
      case HISTOGRAM -> {
        List<HistogramDataPoint> k = keep(m.getHistogram().getDataPointsList(), dc, c);
        return k.size() == m.getHistogram().getDataPointsCount()
            ? m
            : m.toBuilder()
                .setHistogram(m.getHistogram().toBuilder().clearDataPoints().addAllDataPoints(k))
                .build();
      }
      case EXPONENTIAL_HISTOGRAM -> {
        List<ExponentialHistogramDataPoint> k =
            keep(m.getExponentialHistogram().getDataPointsList(), dc, c);
        return k.size() == m.getExponentialHistogram().getDataPointsCount()
            ? m
            : m.toBuilder()
                .setExponentialHistogram(
                    m.getExponentialHistogram().toBuilder().clearDataPoints().addAllDataPoints(k))
                .build();
      }
      case SUMMARY -> {
        List<SummaryDataPoint> k = keep(m.getSummary().getDataPointsList(), dc, c);
        return k.size() == m.getSummary().getDataPointsCount()
            ? m
            : m.toBuilder()
                .setSummary(m.getSummary().toBuilder().clearDataPoints().addAllDataPoints(k))
                .build();
      }
      default -> {
        return m;
      }
    }
  }
}
