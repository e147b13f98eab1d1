package io.tiercel.processors.ottl.eval;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.InstrumentationScopeOrBuilder;
import io.opentelemetry.proto.logs.v1.LogRecordOrBuilder;
import io.opentelemetry.proto.metrics.v1.ExemplarOrBuilder;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.resource.v1.ResourceOrBuilder;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ResourceSpansOrBuilder;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpansOrBuilder;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;
import io.tiercel.core.pdata.TracesView;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The item a statement or condition is evaluated on, with its parents (resource, scope, and the
 * span or metric above a span event or data point, and the data point above an exemplar). One
 * instance is reused for every item of a batch (the walkers overwrite the fields), so evaluation
 * allocates nothing per item for it. Fields hold either immutable messages (read-only evaluation,
 * e.g. the filter processor) or builders (the transform processor); setters of paths require
 * builders. Not thread-safe: one per walking thread.
 *
 * <p>A field is null until the walker sets it; compiled paths only read the fields of their
 * context's lineage, which the walker of that context always sets.
 *
 * <p>Over a {@link TracesView} (see {@link #viewResource}) the resource, scope and span are
 * materialized lazily: a path reads span fields from the wire through {@link #spanWire()} where it
 * can, the getters parse the element on first need (cached in the view), and the {@code *ForEdit}
 * methods, which every setter uses, turn the element into a builder recorded as an edit on the
 * view. Elements nobody edits stay byte ranges of the input.
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
  private @Nullable ExemplarOrBuilder exemplar;
  private @Nullable LogRecordOrBuilder log;
  private @Nullable Object functionArgument;
  private @Nullable Object[] lambdaArgs = new Object[4];
  private @Nullable Map<String, Object> cache;
  private @Nullable TracesView view;
  private int viewResource;
  private int viewScope;
  private int viewSpan = -1;

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
    if (resource == null && view != null) {
      ResourceSpansOrBuilder h = view.resourceHead(viewResource);
      resourceHolder = h;
      resource = h instanceof ResourceSpans.Builder b ? b.getResourceBuilder() : h.getResource();
    }
    return resource;
  }

  /** The current resource as a builder, for setters: over a view, recorded as an edit. */
  public Resource.Builder resourceForEdit() {
    if (view != null && !(resource instanceof Resource.Builder)) {
      ResourceSpans.Builder h = view.editResourceHead(viewResource);
      resourceHolder = h;
      resource = h.getResourceBuilder();
    }
    return (Resource.Builder) resource;
  }

  /** The holder of the current resource as a builder, for setters of schema_url. */
  public Object resourceHolderForEdit() {
    if (view != null) {
      resourceForEdit();
    }
    return resourceHolder();
  }

  /**
   * The view whose resource is current, when its resource has not been edited (so its attributes
   * can be read from the wire), else null.
   */
  public @Nullable TracesView resourceWire() {
    return view != null && !view.resourceEdited(viewResource) ? view : null;
  }

  /** The index of the current resource in the view. */
  public int resourceIndex() {
    return viewResource;
  }

  /** Starts resource {@code r} of {@code v}: its fields are read from the view on demand. */
  public CurrentItem viewResource(TracesView v, int r) {
    this.view = v;
    this.viewResource = r;
    this.resource = null;
    this.resourceHolder = null;
    return this;
  }

  /** Starts scope {@code s} of the current view. */
  public CurrentItem viewScope(int s) {
    this.viewScope = s;
    this.scope = null;
    this.scopeHolder = null;
    return this;
  }

  /** Starts span {@code i} of the current view. */
  public CurrentItem viewSpan(int i) {
    this.viewSpan = i;
    this.span = null;
    return this;
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
    if (resourceHolder == null && view != null) {
      resource();
    }
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
    if (scopeHolder == null && view != null) {
      scope();
    }
    return scopeHolder;
  }

  /** The holder of the current scope as a builder, for setters of schema_url. */
  public Object scopeHolderForEdit() {
    if (view != null) {
      scopeForEdit();
    }
    return scopeHolder();
  }

  /** Sets the current instrumentation scope. */
  public CurrentItem scope(InstrumentationScopeOrBuilder s) {
    this.scope = s;
    return this;
  }

  /** The current instrumentation scope. */
  public InstrumentationScopeOrBuilder scope() {
    if (scope == null && view != null) {
      ScopeSpansOrBuilder h = view.scopeHead(viewScope);
      scopeHolder = h;
      scope = h instanceof ScopeSpans.Builder b ? b.getScopeBuilder() : h.getScope();
    }
    return scope;
  }

  /** The current scope as a builder, for setters: over a view, recorded as an edit. */
  public InstrumentationScope.Builder scopeForEdit() {
    if (view != null && !(scope instanceof InstrumentationScope.Builder)) {
      ScopeSpans.Builder h = view.editScopeHead(viewScope);
      scopeHolder = h;
      scope = h.getScopeBuilder();
    }
    return (InstrumentationScope.Builder) scope;
  }

  /** The view whose scope is current, when its scope has not been edited, else null. */
  public @Nullable TracesView scopeWire() {
    return view != null && !view.scopeEdited(viewScope) ? view : null;
  }

  /** The index of the current scope in the view. */
  public int scopeIndex() {
    return viewScope;
  }

  /** Sets the current span. */
  public CurrentItem span(SpanOrBuilder s) {
    this.span = s;
    return this;
  }

  /** The current span (the parent of the current span event in that context). */
  public SpanOrBuilder span() {
    if (span == null && view != null && viewSpan >= 0) {
      span = view.span(viewSpan);
    }
    return span;
  }

  /** The current span as a builder, for setters: over a view, recorded as an edit. */
  public Span.Builder spanForEdit() {
    if (view != null && viewSpan >= 0 && !(span instanceof Span.Builder)) {
      span = view.editSpan(viewSpan);
    }
    return (Span.Builder) span;
  }

  /**
   * The view whose span is current, when that span has not been edited (so its fields can be read
   * from the wire at {@link #spanIndex()}), else null.
   */
  public @Nullable TracesView spanWire() {
    return view != null && viewSpan >= 0 && !view.spanEdited(viewSpan) ? view : null;
  }

  /** The index of the current span in the view. */
  public int spanIndex() {
    return viewSpan;
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

  /** Sets the current exemplar (message or builder) of the current data point. */
  public CurrentItem exemplar(ExemplarOrBuilder e) {
    this.exemplar = e;
    return this;
  }

  /** The current exemplar. */
  public ExemplarOrBuilder exemplar() {
    return exemplar;
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
