package io.tiercel.processors.ottl.eval;

import io.opentelemetry.proto.common.v1.InstrumentationScopeOrBuilder;
import io.opentelemetry.proto.logs.v1.LogRecordOrBuilder;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.resource.v1.ResourceOrBuilder;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The item a statement or condition is evaluated on, with its parents (resource, scope, and the
 * span or metric above a span event or data point). One instance is reused for every item of a
 * batch (the walkers overwrite the fields), so evaluation allocates nothing per item for it. Fields
 * hold either immutable messages (read-only evaluation, e.g. the filter processor) or builders (the
 * transform processor); setters of paths require builders. Not thread-safe: one per walking thread.
 *
 * <p>A field is null until the walker sets it; compiled paths only read the fields of their
 * context's lineage, which the walker of that context always sets.
 */
public final class CurrentItem {
  private final Clock clock;
  private @Nullable ResourceOrBuilder resource;
  private @Nullable Object resourceHolder;
  private @Nullable Object scopeHolder;
  private @Nullable InstrumentationScopeOrBuilder scope;
  private @Nullable SpanOrBuilder span;
  private Span.@Nullable EventOrBuilder event;
  private int eventIndex;
  private @Nullable MetricOrBuilder metric;
  private @Nullable Object dataPoint;
  private @Nullable LogRecordOrBuilder log;
  private @Nullable Object functionArgument;
  private @Nullable Object[] lambdaArgs = new Object[4];
  private @Nullable Map<String, Object> cache;

  /** An item whose {@code Now()} reads {@code clock}. */
  public CurrentItem(Clock clock) {
    this.clock = clock;
  }

  /** The clock {@code Now()} reads. */
  public Clock clock() {
    return clock;
  }

  /** Sets the current resource (message or builder). */
  public CurrentItem resource(ResourceOrBuilder r) {
    this.resource = r;
    return this;
  }

  /** The current resource (message or builder). */
  public ResourceOrBuilder resource() {
    return resource;
  }

  /**
   * Sets the Resource{Spans,Metrics,Logs} message or builder of the current resource (for
   * schema_url).
   */
  public CurrentItem resourceHolder(Object holder) {
    this.resourceHolder = holder;
    return this;
  }

  /** The Resource{Spans,Metrics,Logs} (or builder) holding the resource: its schema_url. */
  public Object resourceHolder() {
    return resourceHolder;
  }

  /**
   * Sets the Scope{Spans,Metrics,Logs} message or builder of the current scope (for schema_url).
   */
  public CurrentItem scopeHolder(Object holder) {
    this.scopeHolder = holder;
    return this;
  }

  /** The Scope{Spans,Metrics,Logs} (or builder) holding the scope: its schema_url. */
  public Object scopeHolder() {
    return scopeHolder;
  }

  /** Sets the current instrumentation scope. */
  public CurrentItem scope(InstrumentationScopeOrBuilder s) {
    this.scope = s;
    return this;
  }

  /** The current instrumentation scope. */
  public InstrumentationScopeOrBuilder scope() {
    return scope;
  }

  /** Sets the current span. */
  public CurrentItem span(SpanOrBuilder s) {
    this.span = s;
    return this;
  }

  /** The current span (the parent of the current span event in that context). */
  public SpanOrBuilder span() {
    return span;
  }

  /** Sets the current span event and its index in its span. */
  public CurrentItem event(Span.EventOrBuilder e, int index) {
    this.event = e;
    this.eventIndex = index;
    return this;
  }

  /** The current span event. */
  public Span.EventOrBuilder event() {
    return event;
  }

  /** The index of the current span event in its span. */
  public int eventIndex() {
    return eventIndex;
  }

  /** Sets the current metric. */
  public CurrentItem metric(MetricOrBuilder m) {
    this.metric = m;
    return this;
  }

  /** The current metric (the parent of the current data point in that context). */
  public MetricOrBuilder metric() {
    return metric;
  }

  /** Sets the current data point (any of the four point types, message or builder). */
  public CurrentItem dataPoint(Object dp) {
    this.dataPoint = dp;
    return this;
  }

  /**
   * A NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint or SummaryDataPoint (or
   * builder).
   */
  public Object dataPoint() {
    return dataPoint;
  }

  /** Sets the current log record. */
  public CurrentItem log(LogRecordOrBuilder l) {
    this.log = l;
    return this;
  }

  /** The current log record. */
  public LogRecordOrBuilder log() {
    return log;
  }

  /** The value of lambda parameter {@code slot} while its lambda runs (see {@link Lambda}). */
  public @Nullable Object lambdaArg(int slot) {
    return lambdaArgs[slot];
  }

  /** Sets the value of lambda parameter {@code slot} (see {@link Lambda}). */
  public void lambdaArg(int slot, @Nullable Object v) {
    if (slot >= lambdaArgs.length) {
      lambdaArgs = java.util.Arrays.copyOf(lambdaArgs, Math.max(slot + 1, lambdaArgs.length * 2));
    }
    lambdaArgs[slot] = v;
  }

  /**
   * The argument of a converter passed by name to an editor (e.g. SHA256 in replace_pattern), set
   * while that converter runs.
   */
  public @Nullable Object functionArgument() {
    return functionArgument;
  }

  /** Sets the argument of a converter passed by name; returns the previous one. */
  public @Nullable Object functionArgument(@Nullable Object v) {
    Object previous = functionArgument;
    functionArgument = v;
    return previous;
  }

  /** Starts a new item: clears the {@code cache} map. */
  public CurrentItem resetCache() {
    if (cache != null) {
      cache.clear();
    }
    return this;
  }

  /** The item's {@code cache} map, created on first use. */
  public Map<String, Object> cache() {
    if (cache == null) {
      cache = new LinkedHashMap<>();
    }
    return cache;
  }

  /** Replaces the {@code cache} map. */
  public void cache(Map<String, Object> m) {
    cache = m;
  }
}
