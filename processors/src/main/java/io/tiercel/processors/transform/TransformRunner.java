package io.tiercel.processors.transform;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.Group;
import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.CurrentItem;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs statement groups over a batch: one builder copy of the batch, each group walking it at its
 * context's level (resource, scope, span/metric/log, span event/data point, exemplar), in config
 * order. Metrics are walked by index, so a metric that a function appends to its scope is reached
 * by the same group, as in the collector. A group's {@code cache} is empty for each item; with
 * {@code shared_cache} it is one map per context for the whole batch, shared by the groups of that
 * context that ask for it.
 */
public final class TransformRunner {
  private final List<TransformGroup> groups;
  private final boolean flattenLogs;
  private final Clock clock;
  private final Errors errors;

  /** Runs {@code groups}, none with a shared cache. */
  public TransformRunner(List<Group> groups, Clock clock, Errors errors) {
    this(groups.stream().map(g -> new TransformGroup(g, false)).toList(), false, errors, clock);
  }

  private TransformRunner(
      List<TransformGroup> groups, boolean flattenLogs, Errors errors, Clock clock) {
    this.groups = List.copyOf(groups);
    this.flattenLogs = flattenLogs;
    this.clock = clock;
    this.errors = errors;
  }

  /** Runs {@code groups} with their options. */
  public static TransformRunner of(List<TransformGroup> groups, Clock clock, Errors errors) {
    return new TransformRunner(groups, false, errors, clock);
  }

  /**
   * Runs log groups on flattened data ({@code flatten_data}): each record with its own resource and
   * scope while the groups run, regrouped after.
   */
  public static TransformRunner flattening(
      List<TransformGroup> groups, Clock clock, Errors errors) {
    return new TransformRunner(groups, true, errors, clock);
  }

  /** The cache maps of one batch. */
  private static final class Caches {
    final Map<String, Object> own = new LinkedHashMap<>();
    final Map<OttlContext, Map<String, Object>> shared = new EnumMap<>(OttlContext.class);
  }

  /** Runs group {@code g} on the item in {@code c} with the cache its option gives it. */
  private void run(TransformGroup g, CurrentItem c, Caches caches) {
    Group group = g.group();
    if (g.sharedCache()) {
      OttlContext ctx = group.context();
      c.cache(caches.shared.computeIfAbsent(ctx, k -> new LinkedHashMap<>()));
      group.run(c, errors);
      caches.shared.put(ctx, c.cache()); // set(cache, ...) replaces the map
    } else {
      c.cache(caches.own);
      group.run(c.resetCache(), errors);
    }
  }

  /** Applies every group; throws a PermanentException from a propagate-mode failure. */
  public TracesData apply(TracesData in) {
    if (groups.isEmpty()) {
      return in;
    }
    TracesData.Builder b = in.toBuilder();
    CurrentItem c = new CurrentItem(clock);
    Caches caches = new Caches();
    for (TransformGroup g : groups) {
      int depth = g.group().context().depth();
      for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
        c.resource(rs.getResourceBuilder()).resourceHolder(rs);
        if (depth == 0) {
          run(g, c, caches);
          continue;
        }
        for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
          c.scope(ss.getScopeBuilder()).scopeHolder(ss);
          if (depth == 1) {
            run(g, c, caches);
            continue;
          }
          for (Span.Builder span : ss.getSpansBuilderList()) {
            c.span(span);
            if (depth == 2) {
              run(g, c, caches);
              continue;
            }
            List<Span.Event.Builder> events = span.getEventsBuilderList();
            for (int i = 0; i < events.size(); i++) {
              run(g, c.event(events.get(i), i), caches);
            }
          }
        }
      }
    }
    return b.build();
  }

  /**
   * Applies every group to a view, recording the edits on it: a span is parsed only when a path
   * needs more than its wire fields, and re-encoded only when a statement writes to it. Elements an
   * upstream processor dropped are skipped, as they are absent from its parsed output. Throws a
   * PermanentException from a propagate-mode failure.
   */
  public void apply(TracesView v) {
    CurrentItem c = new CurrentItem(clock);
    Caches caches = new Caches();
    for (TransformGroup g : groups) {
      int depth = g.group().context().depth();
      for (int r = 0; r < v.resourceCount(); r++) {
        if (v.resourceGone(r)) {
          continue;
        }
        c.viewResource(v, r);
        if (!v.resourcePresent(r)) {
          c.resourceForEdit(); // the parsed path's getResourceBuilder() sets the field: so do we
        }
        if (depth == 0) {
          run(g, c, caches);
          continue;
        }
        for (int s = v.firstScope(r); s < v.firstScope(r + 1); s++) {
          if (v.scopeGone(s)) {
            continue;
          }
          c.viewScope(s);
          if (!v.scopePresent(s)) {
            c.scopeForEdit();
          }
          if (depth == 1) {
            run(g, c, caches);
            continue;
          }
          for (int i = v.firstSpan(s); i < v.firstSpan(s + 1); i++) {
            if (v.spanDropped(i)) {
              continue;
            }
            c.viewSpan(i);
            if (depth == 2) {
              run(g, c, caches);
              continue;
            }
            if (c.span().getEventsCount() == 0) {
              continue;
            }
            List<Span.Event.Builder> events = c.spanForEdit().getEventsBuilderList();
            for (int k = 0; k < events.size(); k++) {
              run(g, c.event(events.get(k), k), caches);
            }
          }
        }
      }
    }
  }

  /** Applies every group; throws a PermanentException from a propagate-mode failure. */
  public MetricsData apply(MetricsData in) {
    if (groups.isEmpty()) {
      return in;
    }
    MetricsData.Builder b = in.toBuilder();
    CurrentItem c = new CurrentItem(clock);
    Caches caches = new Caches();
    for (TransformGroup g : groups) {
      int depth = g.group().context().depth();
      for (ResourceMetrics.Builder rm : b.getResourceMetricsBuilderList()) {
        c.resource(rm.getResourceBuilder()).resourceHolder(rm);
        if (depth == 0) {
          run(g, c, caches);
          continue;
        }
        for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
          c.scope(sm.getScopeBuilder()).scopeHolder(sm);
          if (depth == 1) {
            run(g, c, caches);
            continue;
          }
          // by index: functions such as copy_metric append to this scope's metrics
          for (int i = 0; i < sm.getMetricsCount(); i++) {
            Metric.Builder m = sm.getMetricsBuilder(i);
            c.metric(m);
            if (depth == 2) {
              run(g, c, caches);
              continue;
            }
            for (Object dp : dataPointBuilders(m)) {
              c.dataPoint(dp);
              if (depth == 3) {
                run(g, c, caches);
                continue;
              }
              for (Exemplar.Builder e : exemplarBuilders(dp)) {
                run(g, c.exemplar(e), caches);
              }
            }
          }
        }
      }
    }
    return b.build();
  }

  static List<?> dataPointBuilders(Metric.Builder m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGaugeBuilder().getDataPointsBuilderList();
      case SUM -> m.getSumBuilder().getDataPointsBuilderList();
      case HISTOGRAM -> m.getHistogramBuilder().getDataPointsBuilderList();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogramBuilder().getDataPointsBuilderList();
      case SUMMARY -> m.getSummaryBuilder().getDataPointsBuilderList();
      default -> List.of();
    };
  }

  /** The exemplars of a data point; a summary point has none. */
  private static List<Exemplar.Builder> exemplarBuilders(Object dp) {
    if (dp instanceof NumberDataPoint.Builder n) {
      return n.getExemplarsBuilderList();
    } else if (dp instanceof HistogramDataPoint.Builder h) {
      return h.getExemplarsBuilderList();
    } else if (dp instanceof ExponentialHistogramDataPoint.Builder h) {
      return h.getExemplarsBuilderList();
    }
    return List.of();
  }

  /** Applies every group; throws a PermanentException from a propagate-mode failure. */
  public LogsData apply(LogsData in) {
    if (flattenLogs) {
      return FlatLogs.regroup(run(FlatLogs.flatten(in)));
    }
    return run(in);
  }

  private LogsData run(LogsData in) {
    if (groups.isEmpty()) {
      return in;
    }
    LogsData.Builder b = in.toBuilder();
    CurrentItem c = new CurrentItem(clock);
    Caches caches = new Caches();
    for (TransformGroup g : groups) {
      int depth = g.group().context().depth();
      for (ResourceLogs.Builder rl : b.getResourceLogsBuilderList()) {
        c.resource(rl.getResourceBuilder()).resourceHolder(rl);
        if (depth == 0) {
          run(g, c, caches);
          continue;
        }
        for (ScopeLogs.Builder sl : rl.getScopeLogsBuilderList()) {
          c.scope(sl.getScopeBuilder()).scopeHolder(sl);
          if (depth == 1) {
            run(g, c, caches);
            continue;
          }
          for (LogRecord.Builder lr : sl.getLogRecordsBuilderList()) {
            run(g, c.log(lr), caches);
          }
        }
      }
    }
    return b.build();
  }
}
