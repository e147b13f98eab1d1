package io.tiercel.processors.ottl;

import io.opentelemetry.proto.common.v1.InstrumentationScopeOrBuilder;
import io.opentelemetry.proto.logs.v1.LogRecordOrBuilder;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.resource.v1.ResourceOrBuilder;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The item a statement or condition is evaluated on, with its parents. One instance is reused for
 * every item of a batch (the walkers overwrite the fields), so evaluation allocates nothing per
 * item for it. Fields hold either immutable messages (read-only evaluation, e.g. the filter
 * processor) or builders (the transform processor); setters require builders.
 */
public final class Tctx {
  final Clock clock;
  ResourceOrBuilder resource;

  /** The Resource{Spans,Metrics,Logs} (or builder) holding the resource: its schema_url. */
  Object resourceHolder;

  /** The Scope{Spans,Metrics,Logs} (or builder) holding the scope: its schema_url. */
  Object scopeHolder;

  InstrumentationScopeOrBuilder scope;
  SpanOrBuilder span;
  Span.EventOrBuilder event;
  int eventIndex;
  MetricOrBuilder metric;

  /**
   * A NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint or SummaryDataPoint (or
   * builder).
   */
  Object dataPoint;

  LogRecordOrBuilder log;

  /** The argument of a converter passed by name to an editor (e.g. SHA256 in replace_pattern). */
  Object hole;

  private Map<String, Object> cache;

  /** A context whose {@code Now()} reads {@code clock}. */
  public Tctx(Clock clock) {
    this.clock = clock;
  }

  /** Sets the current resource (message or builder). */
  public Tctx resource(ResourceOrBuilder r) {
    this.resource = r;
    return this;
  }

  /**
   * Sets the Resource{Spans,Metrics,Logs} message or builder of the current resource (for
   * schema_url).
   */
  public Tctx resourceHolder(Object holder) {
    this.resourceHolder = holder;
    return this;
  }

  /**
   * Sets the Scope{Spans,Metrics,Logs} message or builder of the current scope (for schema_url).
   */
  public Tctx scopeHolder(Object holder) {
    this.scopeHolder = holder;
    return this;
  }

  /** Sets the current instrumentation scope. */
  public Tctx scope(InstrumentationScopeOrBuilder s) {
    this.scope = s;
    return this;
  }

  /** Sets the current span. */
  public Tctx span(SpanOrBuilder s) {
    this.span = s;
    return this;
  }

  /** Sets the current span event and its index in its span. */
  public Tctx event(Span.EventOrBuilder e, int index) {
    this.event = e;
    this.eventIndex = index;
    return this;
  }

  /** Sets the current metric. */
  public Tctx metric(MetricOrBuilder m) {
    this.metric = m;
    return this;
  }

  /** Sets the current data point (any of the four point types, message or builder). */
  public Tctx dataPoint(Object dp) {
    this.dataPoint = dp;
    return this;
  }

  /** Sets the current log record. */
  public Tctx log(LogRecordOrBuilder l) {
    this.log = l;
    return this;
  }

  /** Starts a new item: clears the {@code cache} map. */
  public Tctx resetCache() {
    if (cache != null) {
      cache.clear();
    }
    return this;
  }

  Map<String, Object> cache() {
    if (cache == null) {
      cache = new LinkedHashMap<>();
    }
    return cache;
  }

  void setCache(Map<String, Object> m) {
    cache = m;
  }
}
