package io.tiercel.processors.filter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code filter} processor's legacy matcher keys (the collector's {@code spans}, {@code
 * metrics.include}/{@code exclude} and {@code logs.include}/{@code exclude}), as written. {@link
 * LegacyMatchers} compiles them into drop decisions.
 */
public final class LegacyMatch {
  private LegacyMatch() {}

  /** {@code spans:} an optional {@code include} (keep only matching) and {@code exclude}. */
  public record Spans(@Nullable SpanProperties include, @Nullable SpanProperties exclude) {}

  /**
   * What a span must match (the collector's {@code filterconfig.MatchProperties}): every property
   * given must match; within a list, one entry is enough (attributes: all of them).
   */
  public record SpanProperties(
      @Nullable String matchType,
      @Nullable RegexpOptions regexp,
      List<String> services,
      List<String> spanNames,
      List<String> spanKinds,
      List<Attribute> attributes,
      List<Attribute> resources,
      List<Library> libraries,
      List<String> logBodies,
      List<String> logSeverityTexts,
      @Nullable Object logSeverityNumber) {
    public SpanProperties {
      services = copy(services);
      spanNames = copy(spanNames);
      spanKinds = copy(spanKinds);
      attributes = copy(attributes);
      resources = copy(resources);
      libraries = copy(libraries);
      logBodies = copy(logBodies);
      logSeverityTexts = copy(logSeverityTexts);
    }
  }

  /** What a metric must match under {@code metrics.include} / {@code metrics.exclude}. */
  public record MetricProperties(
      @Nullable String matchType,
      @Nullable RegexpOptions regexp,
      List<String> metricNames,
      List<String> expressions,
      List<Attribute> resourceAttributes) {
    public MetricProperties {
      metricNames = copy(metricNames);
      expressions = copy(expressions);
      resourceAttributes = copy(resourceAttributes);
    }
  }

  /** What a log record must match under {@code logs.include} / {@code logs.exclude}. */
  public record LogProperties(
      @Nullable String matchType,
      List<Attribute> resourceAttributes,
      List<Attribute> recordAttributes,
      List<String> severityTexts,
      @Nullable SeverityNumber severityNumber,
      List<String> bodies) {
    public LogProperties {
      resourceAttributes = copy(resourceAttributes);
      recordAttributes = copy(recordAttributes);
      severityTexts = copy(severityTexts);
      bodies = copy(bodies);
    }

    /** No property given: the collector ignores such an {@code include} or {@code exclude}. */
    boolean isEmpty() {
      return resourceAttributes.isEmpty()
          && recordAttributes.isEmpty()
          && severityTexts.isEmpty()
          && bodies.isEmpty()
          && severityNumber == null;
    }
  }

  /**
   * {@code severity_number}: records at or above {@code min} match ({@code min} is a number 1-24 or
   * a name such as {@code INFO} or {@code warn2}); records without a severity match when {@code
   * match_undefined} is true.
   */
  public record SeverityNumber(@Nullable String min, boolean matchUndefined) {}

  /** An attribute key and, optionally, the value it must have (a pattern for regexp). */
  public record Attribute(@Nullable String key, @Nullable Object value) {}

  /** An instrumentation scope name and, optionally, its version. */
  public record Library(@Nullable String name, @Nullable String version) {}

  /**
   * The collector's regexp cache options; accepted and without effect on decisions (patterns are
   * compiled once here).
   */
  public record RegexpOptions(boolean cacheenabled, int cachemaxnumentries) {}

  private static <T> List<T> copy(@Nullable List<T> l) {
    return l == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(l));
  }
}
