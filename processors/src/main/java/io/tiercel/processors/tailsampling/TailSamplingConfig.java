package io.tiercel.processors.tailsampling;

import io.tiercel.core.config.GoDuration;
import io.tiercel.core.config.InvalidValueException;
import io.tiercel.core.config.Validatable;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code tail_sampling} processor's config (the collector's keys and defaults).
 *
 * @param decisionWait how long after a trace's first span it is decided (30s)
 * @param numTraces how many traces are buffered at most (50000); at the bound the oldest is decided
 *     early
 * @param expectedNewTracesPerSec sizing hint for the buffer (0)
 * @param decisionCache how many decisions are remembered for late spans
 * @param blockOnOverflow when true, at {@code num_traces} new traces are refused with a retryable
 *     error (the upstream retries or pauses) instead of deciding the oldest trace early. A
 *     deviation: the collector blocks the caller, but {@code consume} must not block; the Kafka
 *     receiver retries the refused record in place, so nothing is lost
 * @param policies the policies, in configured order, with unique names
 * @param decisionWaitAfterRootReceived once a trace's root span (no parent span id) arrived, decide
 *     it this long after, when that is sooner than {@code decision_wait} (0 = off, the default)
 * @param maximumTraceSizeBytes a buffered trace whose protobuf size exceeds this is not sampled at
 *     once, without running the policies, and counted (0 = no limit, the default)
 * @param sampleOnFirstMatch stop evaluating a trace's policies at the first that says sampled
 *     (false); the drop policies still run first, and an inverted veto from a policy before it
 *     still counts
 * @param dropPendingTracesOnShutdown at shutdown, release the buffered traces undecided, failing
 *     their upstream batches with a retryable error so they are delivered again, instead of
 *     deciding them with the spans they have (false, the collector's default)
 * @param samplingStrategy {@code trace-complete} (the collector's default: a trace is decided once,
 *     {@code decision_wait} after its first span); the collector's {@code span-ingest} is not
 *     supported
 * @param tailStorage the collector's storage extension for pending spans, which it accepts only
 *     behind its alpha feature gate {@code processor.tailsamplingprocessor.tailstorageextension};
 *     Tiercel has no such gate, so setting it is refused as the collector refuses it without the
 *     gate
 * @param numShards the collector's count of independent decision loops, each with its share of
 *     {@code num_traces} and the decision caches, traces routed by trace id (default 1); accepted
 *     and read as 1: Tiercel keeps one buffer and one decision loop whatever the count (0 counts as
 *     unset)
 */
public record TailSamplingConfig(
    Duration decisionWait,
    int numTraces,
    int expectedNewTracesPerSec,
    DecisionCache decisionCache,
    boolean blockOnOverflow,
    List<PolicyConfig> policies,
    Duration decisionWaitAfterRootReceived,
    long maximumTraceSizeBytes,
    boolean sampleOnFirstMatch,
    boolean dropPendingTracesOnShutdown,
    String samplingStrategy,
    @Nullable String tailStorage,
    @Nullable Integer numShards)
    implements Validatable {
  /** The collector's default {@code sampling_strategy}. */
  public static final String TRACE_COMPLETE = "trace-complete";

  private static final String SPAN_INGEST = "span-ingest";
  private static final String TAIL_STORAGE_GATE =
      "processor.tailsamplingprocessor.tailstorageextension";

  /** A config with the default {@code sampling_strategy} and no {@code tail_storage}. */
  public TailSamplingConfig(
      Duration decisionWait,
      int numTraces,
      int expectedNewTracesPerSec,
      DecisionCache decisionCache,
      boolean blockOnOverflow,
      List<PolicyConfig> policies,
      Duration decisionWaitAfterRootReceived,
      long maximumTraceSizeBytes,
      boolean sampleOnFirstMatch,
      boolean dropPendingTracesOnShutdown) {
    this(
        decisionWait,
        numTraces,
        expectedNewTracesPerSec,
        decisionCache,
        blockOnOverflow,
        policies,
        decisionWaitAfterRootReceived,
        maximumTraceSizeBytes,
        sampleOnFirstMatch,
        dropPendingTracesOnShutdown,
        TRACE_COMPLETE,
        null,
        null);
  }

  /**
   * Sizes of the decision caches (0 disables a cache).
   *
   * @param sampledCacheSize trace ids remembered as sampled
   * @param nonSampledCacheSize trace ids remembered as not sampled
   */
  public record DecisionCache(int sampledCacheSize, int nonSampledCacheSize) {
    public DecisionCache {
      if (sampledCacheSize < 0) {
        throw new InvalidValueException(
            "sampled_cache_size", "must not be negative, got " + sampledCacheSize);
      }
      if (nonSampledCacheSize < 0) {
        throw new InvalidValueException(
            "non_sampled_cache_size", "must not be negative, got " + nonSampledCacheSize);
      }
    }
  }

  /**
   * The defaults: 30s, 50000 traces, no caches, no policies, no root wait, no size limit, every
   * policy evaluated, pending traces decided at shutdown.
   */
  public static final TailSamplingConfig DEFAULT =
      new TailSamplingConfig(
          Duration.ofSeconds(30),
          50_000,
          0,
          new DecisionCache(0, 0),
          false,
          List.of(),
          Duration.ZERO,
          0,
          false,
          false);

  public TailSamplingConfig {
    decisionCache = decisionCache == null ? new DecisionCache(0, 0) : decisionCache;
    samplingStrategy =
        samplingStrategy == null || samplingStrategy.isEmpty() ? TRACE_COMPLETE : samplingStrategy;
    if (samplingStrategy.equals(SPAN_INGEST)) {
      throw new InvalidValueException(
          "sampling_strategy",
          "\"span-ingest\" (deciding as spans arrive) is not supported; use trace-complete");
    }
    if (!samplingStrategy.equals(TRACE_COMPLETE)) {
      throw new InvalidValueException(
          "sampling_strategy",
          "\"" + samplingStrategy + "\" is not one of trace-complete, span-ingest");
    }
    if (tailStorage != null && !tailStorage.isEmpty()) {
      throw new InvalidValueException(
          "tail_storage",
          "needs the collector's alpha feature gate "
              + TAIL_STORAGE_GATE
              + ", which Tiercel does not have: pending spans are kept in memory");
    }
    tailStorage = null;
    if (numShards != null && numShards < 0) {
      throw new InvalidValueException("num_shards", "must not be negative, got " + numShards);
    }
    numShards = numShards == null || numShards == 0 ? 1 : numShards;
    policies = PolicyChecks.copy("policies", policies);
    decisionWaitAfterRootReceived =
        decisionWaitAfterRootReceived == null ? Duration.ZERO : decisionWaitAfterRootReceived;
    if (decisionWaitAfterRootReceived.isNegative()) {
      throw new InvalidValueException(
          "decision_wait_after_root_received",
          "must not be negative, got " + GoDuration.format(decisionWaitAfterRootReceived));
    }
    if (maximumTraceSizeBytes < 0) {
      throw new InvalidValueException(
          "maximum_trace_size_bytes", "must not be negative, got " + maximumTraceSizeBytes);
    }
    if (decisionWait == null || decisionWait.isNegative() || decisionWait.isZero()) {
      throw new InvalidValueException("decision_wait", "must be positive, got " + decisionWait);
    }
    if (numTraces <= 0) {
      throw new InvalidValueException("num_traces", "must be positive, got " + numTraces);
    }
    if (expectedNewTracesPerSec < 0) {
      throw new InvalidValueException(
          "expected_new_traces_per_sec", "must not be negative, got " + expectedNewTracesPerSec);
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < policies.size(); i++) {
      if (!names.add(policies.get(i).name())) {
        throw new InvalidValueException(
            "policies[" + i + "].name", "duplicate policy name \"" + policies.get(i).name() + "\"");
      }
    }
  }

  @Override
  public void validate() {
    if (policies.isEmpty()) {
      throw new InvalidValueException("policies", "at least one policy is required");
    }
  }
}
