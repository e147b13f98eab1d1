package io.tiercel.core.builtin.generator;

import io.tiercel.core.config.InvalidValueException;
import java.time.Duration;

/**
 * Config of the {@code generator} receiver. Every setting applies to each enabled signal
 * separately.
 *
 * @param seed seed of the pseudo-random generators: the same seed gives the same data (ids, names,
 *     attributes, values; timestamps follow the clock)
 * @param rate items (spans, data points, log records) per second per signal; 0 = as fast as the
 *     pipeline accepts
 * @param total items to send per signal, then stop; 0 = forever
 * @param batchSize items per request
 * @param maxInFlight requests per signal awaiting their consume future at most
 * @param retryBackoff first wait before resending a request that failed with a retryable error
 *     (doubles per attempt, at most 5s; a throttle delay asked for by the pipeline wins)
 * @param services distinct {@code service.name} resources the data is spread over
 * @param traces shape of the spans
 * @param metrics shape of the metrics
 * @param logs shape of the log records
 */
public record GeneratorReceiverConfig(
    long seed,
    double rate,
    long total,
    int batchSize,
    int maxInFlight,
    Duration retryBackoff,
    int services,
    Traces traces,
    Metrics metrics,
    Logs logs) {

  /** {@code generator:} with nothing under it: a modest stream of all three signals, forever. */
  public static final GeneratorReceiverConfig DEFAULT =
      new GeneratorReceiverConfig(
          1,
          100,
          0,
          50,
          2,
          Duration.ofMillis(100),
          4,
          Traces.DEFAULT,
          Metrics.DEFAULT,
          Logs.DEFAULT);

  /**
   * Spans: HTTP-service-like traces, a tree per trace.
   *
   * @param enabled whether to send traces
   * @param spansPerTrace spans in each trace (root included)
   * @param depth levels of the span tree at most (1 = root spans only)
   * @param attributesPerSpan extra {@code attr.N} attributes per span, on top of the HTTP ones
   * @param errorRatio fraction of spans with an error status (and a 5xx status code on server
   *     spans)
   * @param minDuration shortest root span
   * @param maxDuration longest root span (children fit inside their parent)
   */
  public record Traces(
      boolean enabled,
      int spansPerTrace,
      int depth,
      int attributesPerSpan,
      double errorRatio,
      Duration minDuration,
      Duration maxDuration) {
    public static final Traces DEFAULT =
        new Traces(true, 5, 3, 2, 0.05, Duration.ofMillis(5), Duration.ofMillis(300));

    public Traces {
      if (spansPerTrace < 1) {
        throw new InvalidValueException(
            "spans_per_trace", "must be at least 1, got " + spansPerTrace);
      }
      if (depth < 1) {
        throw new InvalidValueException("depth", "must be at least 1, got " + depth);
      }
      if (attributesPerSpan < 0) {
        throw new InvalidValueException(
            "attributes_per_span", "must not be negative, got " + attributesPerSpan);
      }
      ratio("error_ratio", errorRatio);
      if (minDuration == null || minDuration.isNegative()) {
        throw new InvalidValueException("min_duration", "must not be negative");
      }
      if (maxDuration == null || maxDuration.compareTo(minDuration) < 0) {
        throw new InvalidValueException(
            "max_duration", "must not be less than min_duration (" + minDuration + ")");
      }
    }
  }

  /**
   * Metrics: per service, an HTTP request counter (monotonic cumulative sum), a request duration
   * histogram (delta) and a CPU utilization gauge; data points cycle over them.
   *
   * @param enabled whether to send metrics
   */
  public record Metrics(boolean enabled) {
    public static final Metrics DEFAULT = new Metrics(true);
  }

  /**
   * Logs: access-log-like records with a severity, a body and HTTP attributes.
   *
   * @param enabled whether to send logs
   * @param errorRatio fraction of records at ERROR severity
   * @param traceContext whether records carry a trace and span id
   */
  public record Logs(boolean enabled, double errorRatio, boolean traceContext) {
    public static final Logs DEFAULT = new Logs(true, 0.05, true);

    public Logs {
      ratio("error_ratio", errorRatio);
    }
  }

  public GeneratorReceiverConfig {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new InvalidValueException(
          "rate", "must be a finite number >= 0 (0 = as fast as possible), got " + rate);
    }
    if (total < 0) {
      throw new InvalidValueException("total", "must not be negative (0 = forever), got " + total);
    }
    if (batchSize < 1) {
      throw new InvalidValueException("batch_size", "must be at least 1, got " + batchSize);
    }
    if (maxInFlight < 1) {
      throw new InvalidValueException("max_in_flight", "must be at least 1, got " + maxInFlight);
    }
    if (retryBackoff == null || retryBackoff.isNegative() || retryBackoff.isZero()) {
      throw new InvalidValueException(
          "retry_backoff", "must be greater than zero, got " + retryBackoff);
    }
    if (services < 1) {
      throw new InvalidValueException("services", "must be at least 1, got " + services);
    }
    traces = traces == null ? Traces.DEFAULT : traces;
    metrics = metrics == null ? Metrics.DEFAULT : metrics;
    logs = logs == null ? Logs.DEFAULT : logs;
  }

  private static void ratio(String key, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new InvalidValueException(key, "must be between 0 and 1, got " + v);
    }
  }
}
