package io.tiercel.processors.transform;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.TracesView;
import io.tiercel.processors.ottl.Errors;
import io.tiercel.processors.ottl.Group;
import io.tiercel.processors.ottl.eval.CurrentItem;
import java.time.Clock;
import java.util.List;

/**
 * Runs statement groups over a batch: one builder copy of the batch, each group walking it at its
 * context's level (resource, scope, span/metric/log, span event/data point), in config order.
 */
public final class TransformRunner {
  private final List<Group> groups;
  private final Clock clock;
  private final Errors errors;

  public TransformRunner(List<Group> groups, Clock clock, Errors errors) {
    this.groups = List.copyOf(groups);
    this.clock = clock;
    this.errors = errors;
  }

  /** Applies every group; throws a PermanentException from a propagate-mode failure. */
  public TracesData apply(TracesData in) {
    if (groups.isEmpty()) {
      return in;
    }
    TracesData.Builder b = in.toBuilder();
    CurrentItem c = new CurrentItem(clock);
    for (Group g : groups) {
      for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
        c.resource(rs.getResourceBuilder()).resourceHolder(rs);
        if (g.context().depth() == 0) {
          g.run(c.resetCache(), errors);
          continue;
        }
        for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
          c.scope(ss.getScopeBuilder()).scopeHolder(ss);
          if (g.context().depth() == 1) {
            g.run(c.resetCache(), errors);
            continue;
          }
          for (Span.Builder span : ss.getSpansBuilderList()) {
            c.span(span);
            if (g.context().depth() == 2) {
              g.run(c.resetCache(), errors);
              continue;
            }
            List<Span.Event.Builder> events = span.getEventsBuilderList();
            for (int i = 0; i < events.size(); i++) {
              g.run(c.event(events.get(i), i).resetCache(), errors);
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
    for (Group g : groups) {
      int depth = g.context().depth();
      for (int r = 0; r < v.resourceCount(); r++) {
        if (v.resourceGone(r)) {
          continue;
        }
        c.viewResource(v, r);
        if (!v.resourcePresent(r)) {
          c.resourceForEdit(); // the parsed path's getResourceBuilder() sets the field: so do we
        }
        if (depth == 0) {
          g.run(c.resetCache(), errors);
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
            g.run(c.resetCache(), errors);
            continue;
          }
          for (int i = v.firstSpan(s); i < v.firstSpan(s + 1); i++) {
            if (v.spanDropped(i)) {
              continue;
            }
            c.viewSpan(i);
            if (depth == 2) {
              g.run(c.resetCache(), errors);
              continue;
            }
            if (c.span().getEventsCount() == 0) {
              continue;
            }
            List<Span.Event.Builder> events = c.spanForEdit().getEventsBuilderList();
            for (int k = 0; k < events.size(); k++) {
              g.run(c.event(events.get(k), k).resetCache(), errors);
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
    for (Group g : groups) {
      for (ResourceMetrics.Builder rm : b.getResourceMetricsBuilderList()) {
        c.resource(rm.getResourceBuilder()).resourceHolder(rm);
        if (g.context().depth() == 0) {
          g.run(c.resetCache(), errors);
          continue;
        }
        for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
          c.scope(sm.getScopeBuilder()).scopeHolder(sm);
          if (g.context().depth() == 1) {
            g.run(c.resetCache(), errors);
            continue;
          }
          for (Metric.Builder m : sm.getMetricsBuilderList()) {
            c.metric(m);
            if (g.context().depth() == 2) {
              g.run(c.resetCache(), errors);
              continue;
            }
            for (Object dp : dataPointBuilders(m)) {
              g.run(c.dataPoint(dp).resetCache(), errors);
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

  /** Applies every group; throws a PermanentException from a propagate-mode failure. */
  public LogsData apply(LogsData in) {
    if (groups.isEmpty()) {
      return in;
    }
    LogsData.Builder b = in.toBuilder();
    CurrentItem c = new CurrentItem(clock);
    for (Group g : groups) {
      for (ResourceLogs.Builder rl : b.getResourceLogsBuilderList()) {
        c.resource(rl.getResourceBuilder()).resourceHolder(rl);
        if (g.context().depth() == 0) {
          g.run(c.resetCache(), errors);
          continue;
        }
        for (ScopeLogs.Builder sl : rl.getScopeLogsBuilderList()) {
          c.scope(sl.getScopeBuilder()).scopeHolder(sl);
          if (g.context().depth() == 1) {
            g.run(c.resetCache(), errors);
            continue;
          }
          for (LogRecord.Builder lr : sl.getLogRecordsBuilderList()) {
            g.run(c.log(lr).resetCache(), errors);
          }
        }
      }
    }
    return b.build();
  }
}
