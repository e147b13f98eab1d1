/**
 * The {@code tail_sampling} processor: decides per whole trace, after its spans arrived, which
 * traces to keep.
 *
 * <p>Config: {@link io.tiercel.processors.tailsampling.TailSamplingConfig} with its policies, one
 * record per type ({@link io.tiercel.processors.tailsampling.PolicyConfig} for the compound types,
 * {@link io.tiercel.processors.tailsampling.SharedPolicy} for the rest), bound and checked by the
 * config binder, which also compiles their regular expressions and OTTL conditions once.
 *
 * <p>Evaluation: {@link io.tiercel.processors.tailsampling.PolicyEvaluators} makes a processor's
 * stateful {@link io.tiercel.processors.tailsampling.Policy} evaluators from the records; {@link
 * io.tiercel.processors.tailsampling.DecisionEngine} combines their decisions with the collector's
 * rules over a {@link io.tiercel.processors.tailsampling.TraceView}.
 *
 * <p>Buffering and delivery: {@link io.tiercel.processors.tailsampling.TailSamplingProcessor}
 * buffers {@code PendingTrace}s, runs the decision thread and delivers; {@code TraceFragments}
 * splits requests into per-trace fragments and joins sampled ones; {@code DecisionCaches} remembers
 * decisions for late spans; {@code TailSamplingMetrics} holds the collector's telemetry.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.processors.tailsampling;
