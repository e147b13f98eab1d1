package io.tiercel.processors.transform.functions;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import org.jspecify.annotations.Nullable;

/** What the metric functions share: argument checks, type names, appending to the metric slice. */
final class MetricSupport {
  private MetricSupport() {}

  /** A compile error naming the argument: {@code argument "p" of f must be ...}. */
  static CompileError argError(int col, String fn, String param, String expected) {
    return new CompileError(col, "argument \"" + param + "\" of " + fn + " must be " + expected);
  }

  /**
   * "cumulative" or "delta" (the collector's strings), else a compile error naming the argument.
   */
  static AggregationTemporality temporality(String s, int col, String fn) {
    return switch (s) {
      case "cumulative" -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case "delta" -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      default ->
          throw argError(
              col, fn, "aggregation_temporality", "\"cumulative\" or \"delta\", not \"" + s + "\"");
    };
  }

  /** The collector's name of a metric's type, as its messages print it (Gauge, Sum, Empty...). */
  static String typeName(MetricOrBuilder m) {
    return switch (m.getDataCase()) {
      case GAUGE -> "Gauge";
      case SUM -> "Sum";
      case HISTOGRAM -> "Histogram";
      case EXPONENTIAL_HISTOGRAM -> "ExponentialHistogram";
      case SUMMARY -> "Summary";
      case DATA_NOT_SET -> "Empty";
    };
  }

  /** The metric being transformed, as a builder (the transform processor always walks builders). */
  static Metric.Builder metric(CurrentItem c) {
    return (Metric.Builder) c.metric();
  }

  /**
   * Appends {@code m} to the metric slice of the current scope: the walker reaches it after the
   * current metric, so the group's later statements see it, as in the collector.
   */
  static void append(CurrentItem c, Metric m) {
    ((ScopeMetrics.Builder) c.scopeHolder()).addMetrics(m);
  }

  /** An optional string argument's value; a non-string is an error naming the function. */
  static String str(@Nullable Object v, String fn) {
    if (v instanceof String s) {
      return s;
    }
    throw new OttlRuntimeException(fn + ": expected string but got " + Values.typeName(v));
  }
}
